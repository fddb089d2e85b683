import type { Problem, SourceRef } from '../schema/problem';
import { reduceAnswer } from './answer';
import type { DatasetLayout } from './layout';
import { contentId, idFromValue } from './problem-id';

export type RowResult = { ok: true; problem: Problem } | { ok: false; reason: string };

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** One parsed dataset row → a Problem, or the reason it is not one. */
export function rowToProblem(row: unknown, layout: DatasetLayout, source: SourceRef, dataName?: string): RowResult {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    return { ok: false, reason: `expected a JSON object, found ${typeName(row)}` };
  }
  const r = row as Record<string, unknown>;
  const q = r[layout.questionField];
  if (q === undefined) return { ok: false, reason: `missing question field '${layout.questionField}'` };
  if (typeof q !== 'string') return { ok: false, reason: `field '${layout.questionField}' must be a string, found ${typeName(q)}` };
  const question = q.trim();
  if (question === '') return { ok: false, reason: `field '${layout.questionField}' is empty` };
  const reduced = reduceAnswer(layout.answerField, r[layout.answerField], layout.answerMode);
  if (!reduced.ok) return reduced;
  let id: string;
  if (layout.idField) {
    const raw = r[layout.idField];
    if (raw === undefined) return { ok: false, reason: `missing id field '${layout.idField}'` };
    const parsed = idFromValue(raw);
    if (parsed === null) return { ok: false, reason: `field '${layout.idField}' must be a non-empty string or an integer, found ${typeName(raw)}` };
    id = parsed;
  } else {
    id = contentId(question, reduced.answer);
  }
  const problem: Problem = { id, question, answer: reduced.answer, source };
  if (dataName) problem.dataName = dataName;
  return { ok: true, problem };
}
