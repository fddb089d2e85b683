import type { RunState } from '../../state/run-state';
import type { StepwiseFormat } from './stepwise-formats';
import type { StepRowSet } from './step-rows';
import type { NeutralRule } from './trl-stepwise';

/** Written beside a stepwise export: what it holds and how it was made, so it can be traced to its run. */
export interface StepwiseManifest {
  format: StepwiseFormat;
  file: string;
  createdAt: string;
  problems: number;
  /** Labelled responses written, and their steps by rating. */
  responses: number;
  steps: { total: number; positive: number; neutral: number; negative: number };
  finish: { found_error: number; solution: number; bad_problem: number };
  skipped: { incomplete: number; badProblem: number };
  /** The boolean a 0 (neutral) step became (trl-stepwise only). */
  neutralAs: boolean | null;
  stepSeparator: string;
  authors: string[];
  settingsHash: string;
  datasetHash: string;
  usage: string;
}

export function buildStepwiseManifest(
  state: RunState,
  set: StepRowSet,
  args: { format: StepwiseFormat; file: string; createdAt: string; settingsHash: string; usage: string; neutral: NeutralRule },
): StepwiseManifest {
  const steps = { total: 0, positive: 0, neutral: 0, negative: 0 };
  const finish = { found_error: 0, solution: 0, bad_problem: 0 };
  const authors = new Set<string>();
  const problems = new Set<string>();
  for (const r of set.rows) {
    finish[r.finish]++;
    authors.add(r.author);
    problems.add(r.problemId);
    for (const s of r.rated) {
      steps.total++;
      if (s.rating === 1) steps.positive++;
      else if (s.rating === 0) steps.neutral++;
      else steps.negative++;
    }
  }
  return {
    format: args.format,
    file: args.file,
    createdAt: args.createdAt,
    problems: problems.size,
    responses: set.rows.length,
    steps,
    finish,
    skipped: { ...set.skipped },
    neutralAs: args.format === 'trl-stepwise' ? args.neutral === 'true' : null,
    stepSeparator: state.settings.stepSeparator,
    authors: [...authors].sort(),
    settingsHash: args.settingsHash,
    datasetHash: state.settings.dataset.sha256,
    usage: args.usage,
  };
}
