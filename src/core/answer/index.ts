import type { ExtractionMethod } from '../schema/grade';
import { isEquivalent } from './equivalence';
import { extractAnswer } from './extract';

/** Bumped whenever a verdict can change: stored grades from another version are recomputed. */
export const GRADER_VERSION = '1.1.1';

export { extractAnswer, type Extraction } from './extract';
export { isEquivalent, DEFAULT_TIMEOUT_MS } from './equivalence';
export { normaliseAnswer } from './normalise';

/** V(x, r): extracts the final answer of a response and compares it with the reference. */
export function gradeResponse(
  text: string,
  gt: string,
  opts: { dataName?: string; timeoutMs?: number } = {},
): { extracted: string | null; method: ExtractionMethod; correct: boolean } {
  try {
    const { extracted, method } = extractAnswer(text, opts);
    const correct = extracted !== null && isEquivalent(extracted, gt, opts);
    return { extracted, method, correct };
  } catch {
    return { extracted: null, method: 'none', correct: false };
  }
}
