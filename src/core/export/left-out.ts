import { DEFAULT_PAIR_RULES, pairExclusion, type PairRules } from '../pairs';
import { isTruncated } from '../schema/index';
import type { RunState } from '../state/run-state';

/** What the DPO set does not contain, and why: for the manifest and `hsstar status`. */
export interface LeftOut {
  /** Responses of Boundary problems kept out of pairing because they were cut at max_tokens. */
  truncated: number;
  /** … because the grader found no final answer (and they were not truncated). */
  noAnswer: number;
  /** … because they are not graded yet. */
  ungraded: number;
  /** Boundary problems that yield no pair (all correct or all incorrect after the rules). */
  boundaryWithoutPairs: number;
  /** Inlier, Outlier and unlabelled problems: no pairs by the method. */
  notBoundary: number;
}

export function leftOut(state: RunState, rules: PairRules = DEFAULT_PAIR_RULES): LeftOut {
  const out: LeftOut = { truncated: 0, noAnswer: 0, ungraded: 0, boundaryWithoutPairs: 0, notBoundary: 0 };
  for (const p of state.problems) {
    if (p.effective !== 'boundary') {
      out.notBoundary++;
      continue;
    }
    if (p.pairs.length === 0) out.boundaryWithoutPairs++;
    for (const v of p.responses) {
      if (!v.grade) {
        out.ungraded++;
        continue;
      }
      const why = pairExclusion({ correct: v.grade.correct, truncated: isTruncated(v.response), answered: v.grade.extracted !== null }, rules);
      if (why === 'truncated') out.truncated++;
      else if (why === 'no-answer') out.noAnswer++;
    }
  }
  return out;
}
