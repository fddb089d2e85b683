import { GRADER_VERSION, gradeResponse } from '../core/answer/index';
import type { GradeRecord, Problem, Response } from '../core/schema/index';
import type { RunStore } from './run-store';

/** V(x, r) for one response, as the record the scores log keeps. */
export function gradeRecord(problem: Pick<Problem, 'answer' | 'dataName'>, r: Pick<Response, 'id' | 'text'>): GradeRecord {
  const g = gradeResponse(r.text, problem.answer, problem.dataName ? { dataName: problem.dataName } : {});
  return { kind: 'grade', responseId: r.id, extracted: g.extracted, method: g.method, correct: g.correct, grader: GRADER_VERSION };
}

/**
 * Grades every response that has no grade from this grader version (new responses, or
 * grades from an older grader). Grading needs no request; it is written in batches.
 */
export async function gradeMissing(store: RunStore, onCount?: (graded: number, total: number) => void): Promise<number> {
  const todo: [Problem, Response][] = [];
  const stale = (id: string) => store.grade(id)?.grader !== GRADER_VERSION;
  for (const p of store.problems()) {
    if (!store.responseMetaOf(p.id).some((m) => stale(m.id))) continue;
    for (const r of store.responsesOf(p.id)) if (stale(r.id)) todo.push([p, r]);
  }
  const BATCH = 2000;
  for (let i = 0; i < todo.length; i += BATCH) {
    await store.appendScores(todo.slice(i, i + BATCH).map(([p, r]) => gradeRecord(p, r)));
    onCount?.(Math.min(i + BATCH, todo.length), todo.length);
  }
  return todo.length;
}
