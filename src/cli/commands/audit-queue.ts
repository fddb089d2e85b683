import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { auditQueue } from '../../core/insights/audit-queue';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';

const flags = {
  limit: { type: 'string', default: '20' },
  threshold: { type: 'string', default: '0.5' },
  json: { type: 'boolean', default: false },
} as const;

const WHY = {
  'prm-missed-error': 'wrong answer, PRM sees no error',
  'prm-flags-correct': 'right answer, PRM flags a step',
  boundary: 'Boundary problem',
  other: 'other',
} as const;

export const auditQueueCommand: Command = {
  name: 'audit-queue',
  summary: 'list the responses whose step labels would tell the most, per step read',
  usage: `Usage: hsstar audit-queue DIR [--limit N] [--threshold T] [--json]

Lists graded, PRM-scored responses not yet fully step-labelled, most value per step read
first: wrong answers the PRM passes and right answers it flags (S(r) against T, default
0.5) before Boundary problems, the rest last. Each line has the steps to read so far.
Label one with \`hsstar label-steps DIR RESPONSE --labels ...\`.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    const limit = Number(values.limit);
    const threshold = Number(values.threshold);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit takes a whole number (got '${values.limit}')`);
    if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold takes a number from 0 to 1 (got '${values.threshold}')`);
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: false });
    try {
      const q = auditQueue(stateOf(store), threshold, limit);
      if (values.json) {
        io.stdout.write(JSON.stringify(q, null, 2) + '\n');
        return 0;
      }
      const t = q.totals;
      io.stdout.write(`${t['prm-missed-error']} wrong answers the PRM passes, ${t['prm-flags-correct']} right answers it flags, ${t.boundary} in Boundary problems, ${t.other} others\n`);
      for (const i of q.items) {
        const start = i.minStepIndex === null ? '' : `, weakest step ${i.minStepIndex + 1}`;
        io.stdout.write(`${i.responseId}\t${WHY[i.reason]}\tS(r) ${i.minScore.toFixed(3)}${start}\t${i.steps} steps (${i.cumulativeSteps} so far)\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
