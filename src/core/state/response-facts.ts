/**
 * What deriving a problem's statistics and pairs needs of its responses, one number or flag
 * per response (by slot), without a record or a view per response: a store that keeps its
 * index in columns answers from them, and the views (`ProblemState.responses`) are built
 * only when something looks at a problem.
 */
export interface ResponseFacts {
  /** How many responses the problem has. */
  readonly count: number;
  /** Of the i-th response, by slot. */
  id(i: number): string;
  slot(i: number): number;
  /** Null until graded. */
  correct(i: number): boolean | null;
  /** Graded, and the grader found a final answer. */
  answered(i: number): boolean;
  /** S(r), the lowest PRM step score; null when not scored (or no steps). */
  minScore(i: number): number | null;
  reward(i: number): number | null;
  truncated(i: number): boolean;
  /** Equal for two responses of the problem exactly when their texts are equal. */
  textClass(i: number): number;
}
