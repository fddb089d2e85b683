import type { ProblemState, ResponseView, RunState } from '../state/run-state';
import { stepLabelsOf, stepVerdict, type ResponseStepLabels, type StepVerdict } from './step-labels';

/** A response with human step labels, beside what the run knows of it. */
export interface LabelledResponse {
  problem: ProblemState;
  view: ResponseView;
  labels: ResponseStepLabels;
  verdict: StepVerdict;
}

/**
 * Every response with at least one step label, in dataset order then slot order. Labels
 * naming a response the run does not hold (e.g. a folder copied without its responses)
 * are skipped.
 */
export function labelledResponses(run: RunState): LabelledResponse[] {
  const byResponse = stepLabelsOf(run.events);
  if (byResponse.size === 0) return [];
  const out: LabelledResponse[] = [];
  for (const problem of run.problems) {
    for (const view of problem.responses) {
      const labels = byResponse.get(view.response.id);
      if (!labels) continue;
      out.push({ problem, view, labels, verdict: stepVerdict(labels, view.steps.length) });
    }
  }
  return out;
}

/** Labelled responses the metrics and exports use: finished and not flagged as a bad problem. */
export function usableResponses(run: RunState): LabelledResponse[] {
  return labelledResponses(run).filter((r) => !r.labels.badProblem && r.verdict.kind !== 'incomplete');
}
