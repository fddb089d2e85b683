import type { ExtractionMethod } from '../schema/grade';
import { deadlineIn, deadlinePassed } from './deadline';
import { DEFAULT_TIMEOUT_MS, isEquivalent } from './equivalence';
import { extractAnswer } from './extract';

/** Bumped whenever a verdict can change: stored grades from another version are recomputed. */
export const GRADER_VERSION = '1.1.1';

export { extractAnswer, type Extraction, type ExtractOptions } from './extract';
export { isEquivalent, DEFAULT_TIMEOUT_MS, type CompareOptions } from './equivalence';
export { normaliseAnswer } from './normalise';
export { deadlineIn, deadlinePassed, type Deadline } from './deadline';

export interface GradeOptions {
  dataName?: string;
  /** Bound on the whole grading, extraction and comparison together (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface Verdict {
  correct: boolean;
  /** Present when the bound passed before a verdict of "equal": the "not equal" may be the bound's. */
  timedOut?: true;
}

/** `pred` against `gt` within `deadline`, saying whether the bound was what ended it. */
export function gradePrediction(pred: string, gt: string, deadline: number): Verdict {
  const correct = isEquivalent(pred, gt, { deadline });
  return !correct && deadlinePassed(deadline) ? { correct, timedOut: true } : { correct };
}

/**
 * V(x, r): extracts the final answer of a response and compares it with the reference, both
 * within one time bound (the pipeline's grading threads and `hsstar grade` alike).
 */
export function gradeResponse(
  text: string,
  gt: string,
  opts: GradeOptions = {},
): { extracted: string | null; method: ExtractionMethod; correct: boolean; timedOut?: true } {
  try {
    const deadline = deadlineIn(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const extraction = extractAnswer(text, opts.dataName === undefined ? { deadline } : { dataName: opts.dataName, deadline });
    const { extracted, method } = extraction;
    if (extraction.timedOut) return { extracted, method, correct: false, timedOut: true };
    if (extracted === null) return { extracted, method, correct: false };
    return { extracted, method, ...gradePrediction(extracted, gt, deadline) };
  } catch {
    return { extracted: null, method: 'none', correct: false };
  }
}
