import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError, UserError } from '../../core/errors';
import { assignReviews } from '../../core/team/assign';
import { stateOf } from '../../pipeline/derive-from-store';
import { ProjectStore } from '../../store/project';
import { readAssignments, writeAssignments } from '../../store/assignments';

const flags = {
  annotators: { type: 'string' },
  overlap: { type: 'string', default: '1' },
  seed: { type: 'string' },
  all: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;

export const assignCommand: Command = {
  name: 'assign',
  summary: 'spread the problems to review over annotators (seeded), each to --overlap of them',
  usage: `Usage: hsstar assign DIR --annotators a,b,c [--overlap 2] [--seed N] [--all] [--force]

Writes DIR/assignments.json: the Boundary problems (every problem with --all) in a
seeded order, each given to --overlap annotators taken in turn, so loads differ by one at
most and every pair of annotators shares problems. The seed defaults to the run's. In the
inspector, j / k then walk the author's own next / previous unreviewed assigned problem.
An existing assignments.json is replaced only with --force.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    const annotators = (values.annotators ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    if (annotators.length === 0) throw new UsageError('missing --annotators a,b,c');
    if (new Set(annotators).size !== annotators.length) throw new UsageError(`--annotators names someone twice: ${annotators.join(',')}`);
    const overlap = Number(values.overlap);
    if (!Number.isInteger(overlap) || overlap < 1 || overlap > annotators.length) {
      throw new UsageError(`--overlap must be a whole number from 1 to ${annotators.length} (the annotators), got '${values.overlap}'`);
    }
    if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
    const dir = resolve(io.cwd, dirArg!);
    const { store } = await ProjectStore.open(dir, { write: false });
    try {
      if (readAssignments(dir) && !values.force) throw new UserError('already has assignments.json; use --force to replace it', dir);
      const state = stateOf(store);
      const ids = state.problems.filter((p) => values.all || p.effective === 'boundary').map((p) => p.problem.id);
      if (ids.length === 0) throw new UserError('no Boundary problem to assign yet (run RDE first, or use --all)', dir);
      const seed = values.seed === undefined ? state.settings.seed : Number(values.seed);
      const items = assignReviews(ids, annotators, overlap, seed);
      const file = await writeAssignments(dir, { version: 1, seed, overlap, annotators, at: new Date().toISOString(), items });
      io.stdout.write(`assigned ${items.length} problems, each to ${overlap} of ${annotators.length} annotators (seed ${seed}): ${file}\n`);
      for (const a of annotators) io.stdout.write(`  ${a}: ${items.filter((it) => it.annotators.includes(a)).length}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
