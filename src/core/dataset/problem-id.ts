import { createHash } from 'node:crypto';

/** Id of a row without an id field: the same question and answer always give the same id. */
export function contentId(question: string, answer: string): string {
  return 'h' + createHash('sha256').update(question).update('\u0000').update(answer).digest('hex').slice(0, 16);
}

/** An id field's value as an id: a non-empty string or an integer. */
export function idFromValue(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}
