import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { UsageError, UserError } from '../../core/errors';
import type { StepLabelEntry } from '../../core/schema/index';
import { firstErrorEntries, parseLabelList } from '../../core/step-labels/label-list';
import { stepLabelsOf, stepVerdict } from '../../core/step-labels/step-labels';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';
import { describeStepLabels, stepLabelsEvent } from '../../core/step-labels/step-labels-event';
import { describeVerdict } from '../../core/step-labels/verdict-text';

const flags = {
  labels: { type: 'string' },
  'first-error': { type: 'string' },
  note: { type: 'string', multiple: true },
  'bad-problem': { type: 'boolean' },
  'good-problem': { type: 'boolean' },
  author: { type: 'string' },
} as const;

type StepEntry = StepLabelEntry;

export const labelStepsCommand: Command = {
  name: 'label-steps',
  summary: 'rate the steps of one response (+1 / 0 / -1), as the inspector does',
  usage: `Usage: hsstar label-steps DIR RESPONSE (--labels LIST | --first-error K) [--note K:TEXT]...
                           [--bad-problem | --good-problem] [--author NAME]

Appends one step-labels event to the run's event log (undo it in the inspector).
RESPONSE is a response id, e.g. math-0042:3.
  --labels 1,1,-1     one entry per step from step 1: 1 (correct and useful), 0 (neutral,
                      not wrong), -1 (wrong), ? (unsure), _ (leave as it is), x (clear)
  --first-error K     steps 1..K-1 rated 1, step K rated -1 (later steps untouched)
  --note K:TEXT       a note on step K (keeps the rating given here or already there)
  --bad-problem       flag the problem statement as broken (--good-problem removes it)
  --author NAME       who signs the event (default: the OS user)`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg, responseId] = positionals(pos, ['DIR', 'RESPONSE']);
    if (values.labels !== undefined && values['first-error'] !== undefined) throw new UsageError('give --labels or --first-error, not both');
    if (values['bad-problem'] && values['good-problem']) throw new UsageError('give --bad-problem or --good-problem, not both');
    const entries = values.labels !== undefined ? parseLabelList(values.labels) : values['first-error'] !== undefined ? firstErrorEntries(values['first-error']) : [];
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: true });
    try {
      const state = stateOf(store);
      const problem = state.problems.find((p) => p.responses.some((r) => r.response.id === responseId));
      if (!problem) throw new UserError(`no response ${responseId} in this run`, store.dir);
      const existing = stepLabelsOf(state.events).get(responseId!);
      for (const n of values.note ?? []) {
        const m = /^(\d+):(.*)$/s.exec(n);
        if (!m || Number(m[1]) < 1) throw new UsageError(`--note takes K:TEXT with a step number from 1 (got '${n}')`);
        const step = Number(m[1]) - 1;
        const entry = entries.find((e) => e.step === step);
        if (entry) entry.note = m[2]!;
        else {
          const old = existing?.steps.get(step);
          entries.push({ step, rating: old?.rating ?? null, note: m[2]!, unsure: old?.unsure ?? false });
        }
      }
      const badProblem = values['bad-problem'] ? true : values['good-problem'] ? false : undefined;
      if (entries.length === 0 && badProblem === undefined) throw new UsageError('nothing to record: give --labels, --first-error, --note or --bad-problem');
      const stamp = { id: randomUUID(), at: new Date().toISOString(), author: values.author?.trim() || osUser() };
      const result = stepLabelsEvent({ problemId: problem.problem.id, responseId: responseId!, steps: entries, ...(badProblem === undefined ? {} : { badProblem }) }, problem, stamp);
      if (!result.ok) throw new UserError(result.error, responseId);
      await store.appendEvents([result.event]);
      const after = stepLabelsOf([...state.events, result.event]).get(responseId!);
      const view = problem.responses.find((r) => r.response.id === responseId)!;
      io.stdout.write(`${stamp.author}: ${responseId}: ${describeStepLabels(result.event)}\n`);
      io.stdout.write(`${describeVerdict(stepVerdict(after, view.steps.length), view.steps.length, view.grade ? view.grade.correct : null)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

function osUser(): string {
  try {
    return userInfo().username || 'curator';
  } catch {
    return 'curator';
  }
}
