import type { Problem } from '../../core/schema/problem';

const PROBLEM_KEYS = new Set(['id', 'question', 'answer', 'source', 'dataName']);

/**
 * The problems, 100,000 of them on open (problems.jsonl's lines, the checkpoint's list): the
 * checks of the Problem zod schema written out (a unit test holds the two equal), and no key
 * the schema would strip, so what passes is what the schema would give. A line that fails
 * goes to the schema for its verdict and message; the checkpoint is ignored.
 */
export function isProblem(v: unknown): v is Problem {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  for (const k in o) if (!PROBLEM_KEYS.has(k)) return false;
  const { id, question, answer, source, dataName } = o;
  if (typeof id !== 'string' || id.length === 0 || typeof question !== 'string' || question.length === 0 || typeof answer !== 'string') return false;
  if (dataName !== undefined && typeof dataName !== 'string') return false;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return false;
  const s = source as Record<string, unknown>;
  for (const k in s) if (k !== 'file' && k !== 'line') return false;
  return typeof s.file === 'string' && typeof s.line === 'number' && Number.isSafeInteger(s.line) && s.line > 0;
}

/** Why a problem whose id came before is refused: the words `hsstar init` uses for a dataset row, and problems.jsonl on open. */
export function duplicateProblemId(id: string, firstLine: number): string {
  return `duplicate id '${id}', first seen on line ${firstLine}`;
}
