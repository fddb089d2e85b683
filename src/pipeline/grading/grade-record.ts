import { GRADER_VERSION, gradeResponse } from '../../core/answer/index';
import type { GradeRecord, Problem, Response } from '../../core/schema/index';

/** V(x, r) for one response, as the record the scores log keeps (what a grading thread computes). */
export function gradeRecord(problem: Pick<Problem, 'answer' | 'dataName'>, r: Pick<Response, 'id' | 'text'>): GradeRecord {
  const g = gradeResponse(r.text, problem.answer, problem.dataName ? { dataName: problem.dataName } : {});
  return { kind: 'grade', responseId: r.id, extracted: g.extracted, method: g.method, correct: g.correct, grader: GRADER_VERSION };
}
