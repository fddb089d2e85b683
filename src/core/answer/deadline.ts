/**
 * The time bound of one grading: a point on the `performance.now()` clock. Extraction and
 * comparison are synchronous, so they keep it by checking it between their stages (each of
 * which is bounded in the size of what it reads) and answering "nothing found" / "not equal"
 * once it has passed.
 */
export type Deadline = number;

/** The deadline `timeoutMs` from now. */
export function deadlineIn(timeoutMs: number): Deadline {
  return performance.now() + timeoutMs;
}

/** True once `deadline` has passed; never without a deadline. */
export function deadlinePassed(deadline: Deadline | undefined): boolean {
  return deadline !== undefined && performance.now() > deadline;
}
