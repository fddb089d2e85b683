/**
 * Stage 2's arithmetic for the live threshold preview. planBudget (core/budget-plan.ts) is the
 * plan the pipeline follows; it builds per-problem targets and draws the lucky problems,
 * too slow to redo on every mouse move with 50,000 problems. This computes the same
 * numbers from the Boundary count alone (a unit test holds the two together).
 */

export interface ResamplePlan {
  /** B = (N - n_p) x |D|. */
  remaining: number;
  boundary: number;
  /** floor(B / |Boundary|): every Boundary problem gets at least this many. */
  perBoundary: number;
  /** B mod |Boundary|: this many Boundary problems get one more. */
  extraOne: number;
}

export function resamplePlan(problems: number, boundary: number, N: number, presample: number): ResamplePlan {
  const remaining = (N - presample) * problems;
  if (boundary === 0) return { remaining, boundary, perBoundary: 0, extraOne: 0 };
  return { remaining, boundary, perBoundary: Math.floor(remaining / boundary), extraOne: remaining % boundary };
}
