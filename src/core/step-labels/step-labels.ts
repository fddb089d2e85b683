import type { CuratorEvent, StepRatingValue } from '../schema/index';

/** One step's current human label. */
export interface StepLabel {
  rating: StepRatingValue | null;
  note: string;
  unsure: boolean;
  author: string;
  at: string;
}

/** A response's human step labels after every `step-labels` event that still applies. */
export interface ResponseStepLabels {
  problemId: string;
  responseId: string;
  /** By step index; steps never labelled are absent. */
  steps: Map<number, StepLabel>;
  badProblem: boolean;
  /** Who labelled it last, and when. */
  author: string;
  at: string;
}

/**
 * The human verdict of a response from its step labels, read from the first step on, as
 * PRM800K's labellers worked: the first −1 is the first error; a response whose every
 * step is rated without a −1 is correct; a gap (an unrated or unsure step) before either
 * leaves it incomplete, since an error could hide there.
 */
export type StepVerdict =
  | { kind: 'error'; firstError: number; rated: number }
  | { kind: 'correct'; rated: number }
  | { kind: 'incomplete'; rated: number };

/** Folds the applying events (undone ones already removed) into labels per response id. */
export function stepLabelsOf(events: readonly CuratorEvent[]): Map<string, ResponseStepLabels> {
  const out = new Map<string, ResponseStepLabels>();
  for (const e of events) {
    if (e.type !== 'step-labels') continue;
    let labels = out.get(e.responseId);
    if (!labels) {
      labels = { problemId: e.problemId, responseId: e.responseId, steps: new Map(), badProblem: false, author: e.author, at: e.at };
      out.set(e.responseId, labels);
    }
    for (const s of e.steps) {
      if (s.rating === null && !s.note && !s.unsure) labels.steps.delete(s.step);
      else labels.steps.set(s.step, { rating: s.rating, note: s.note, unsure: s.unsure, author: e.author, at: e.at });
    }
    if (e.badProblem !== undefined) labels.badProblem = e.badProblem;
    labels.author = e.author;
    labels.at = e.at;
  }
  return out;
}

/** True when a step carries a rating the metrics and exports can use. */
export function isRated(label: StepLabel | undefined): label is StepLabel & { rating: StepRatingValue } {
  return label !== undefined && label.rating !== null && !label.unsure;
}

export function stepVerdict(labels: ResponseStepLabels | undefined, stepCount: number): StepVerdict {
  if (!labels) return { kind: 'incomplete', rated: 0 };
  let i = 0;
  for (; i < stepCount; i++) {
    const label = labels.steps.get(i);
    if (!isRated(label)) return { kind: 'incomplete', rated: ratedPrefix(labels, stepCount) };
    if (label.rating === -1) return { kind: 'error', firstError: i, rated: ratedPrefix(labels, stepCount) };
  }
  return { kind: 'correct', rated: stepCount };
}

/** How many steps from the first on are rated without a gap: what a stepwise export can carry. */
export function ratedPrefix(labels: ResponseStepLabels, stepCount: number): number {
  let i = 0;
  while (i < stepCount && isRated(labels.steps.get(i))) i++;
  return i;
}
