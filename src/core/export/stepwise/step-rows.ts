import type { StepRatingValue } from '../../schema/index';
import type { RunState } from '../../state/run-state';
import { labelledResponses } from '../../step-labels/labelled-responses';
import { ratedPrefix } from '../../step-labels/step-labels';
import { renderPrompt } from '../rows';

/** How a labelling ended, in PRM800K's words. */
export type LabelFinish = 'found_error' | 'solution' | 'bad_problem';

/** One labelled response with its texts resolved: the common input of the stepwise formats. */
export interface StepRow {
  problemId: string;
  responseId: string;
  question: string;
  answer: string;
  /** The user message exactly as the policy received it. */
  prompt: string;
  /** Every step of the response, as the PRM scored them. */
  allSteps: string[];
  /** The steps rated from the first on without a gap, and their ratings. */
  rated: { text: string; rating: StepRatingValue; note: string }[];
  finish: LabelFinish;
  extracted: string | null;
  minScore: number | null;
  author: string;
  at: string;
}

export interface StepRowSet {
  rows: StepRow[];
  /** Labelled responses left out, and why. */
  skipped: { incomplete: number; badProblem: number };
}

/**
 * The run's labelled responses in dataset and slot order. A labelling that is not finished
 * (a gap before the first error or the last step) is left out; one flagged as a bad
 * problem is kept only when `keepBadProblems` (PRM800K records them, a trainer must not).
 */
export function stepRows(state: RunState, keepBadProblems: boolean): StepRowSet {
  const template = state.settings.policy.promptTemplate;
  const rows: StepRow[] = [];
  const skipped = { incomplete: 0, badProblem: 0 };
  for (const l of labelledResponses(state)) {
    const { problem, view, labels, verdict } = l;
    if (labels.badProblem && !keepBadProblems) {
      skipped.badProblem++;
      continue;
    }
    if (!labels.badProblem && verdict.kind === 'incomplete') {
      skipped.incomplete++;
      continue;
    }
    const steps = view.steps;
    const rated = steps.slice(0, ratedPrefix(labels, steps.length)).map((text, i) => {
      const label = labels.steps.get(i)!;
      return { text, rating: label.rating!, note: label.note };
    });
    rows.push({
      problemId: problem.problem.id,
      responseId: view.response.id,
      question: problem.problem.question,
      answer: problem.problem.answer,
      prompt: renderPrompt(template, problem.problem.question),
      allSteps: steps,
      rated,
      finish: labels.badProblem ? 'bad_problem' : verdict.kind === 'error' ? 'found_error' : 'solution',
      extracted: view.grade?.extracted ?? null,
      minScore: view.minScore,
      author: labels.author,
      at: labels.at,
    });
  }
  return { rows, skipped };
}
