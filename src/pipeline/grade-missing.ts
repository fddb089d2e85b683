import { GRADER_VERSION } from '../core/answer/index';
import type { Problem, Response } from '../core/schema/index';
import type { RunStore } from './run-store';
import type { GradePool } from './grading/grade-pool';

/**
 * Grades every response that has no grade from this grader version (new responses, or
 * grades from an older grader). Grading needs no request; it runs on the grading threads
 * and is written in batches, in the order of the logs.
 */
export async function gradeMissing(store: RunStore, grading: GradePool, onCount?: (graded: number, total: number) => void): Promise<number> {
  const todo: { problem: Problem; response: Response }[] = [];
  const stale = (id: string) => store.grade(id)?.grader !== GRADER_VERSION;
  for (const problem of store.problems()) {
    if (store.gradedBy(problem.id, GRADER_VERSION)) continue;
    for (const response of store.responsesOf(problem.id)) if (stale(response.id)) todo.push({ problem, response });
  }
  const BATCH = 2000;
  for (let i = 0; i < todo.length; i += BATCH) {
    await store.appendScores(await grading.grade(todo.slice(i, i + BATCH)));
    onCount?.(Math.min(i + BATCH, todo.length), todo.length);
  }
  return todo.length;
}
