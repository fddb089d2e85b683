import type { ResponseRecord } from '../../core/schema/records';

/** A value that passed isResponseRecord: `round` may be absent (0) and extra keys present. */
export type ResponseRecordInput = Omit<ResponseRecord, 'round'> & { round?: number };

/**
 * The fast path of reading responses.jsonl: the same checks as the ResponseRecord zod
 * schema (a unit test holds the two equal), written out so a million lines open in seconds.
 * It copies nothing; when it says no, the caller asks zod for the reason.
 */
export function isResponseRecord(v: unknown): v is ResponseRecordInput {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const { kind, id, problemId, slot, stage, text, finishReason, usage, model, latencyMs, at } = o;
  if (kind !== 'response') return false;
  if (typeof id !== 'string' || id.length === 0 || typeof problemId !== 'string' || problemId.length === 0) return false;
  if (!isCount(slot) || (o.round !== undefined && !isCount(o.round))) return false;
  if (stage !== 'pre' && stage !== 're') return false;
  if (typeof text !== 'string' || typeof model !== 'string' || typeof at !== 'string') return false;
  if (finishReason !== null && typeof finishReason !== 'string') return false;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) return false;
  if (typeof usage !== 'object' || usage === null || Array.isArray(usage)) return false;
  const { prompt, completion } = usage as Record<string, unknown>;
  return isCount(prompt) && isCount(completion);
}

/** What zod's parse would return for a value that passed: known keys only, defaults filled. */
export function toResponseRecord(v: ResponseRecordInput): ResponseRecord {
  const { kind, id, problemId, slot, stage, text, finishReason, usage, model, latencyMs, at } = v;
  return { kind, id, problemId, slot, stage, text, finishReason, usage: { prompt: usage.prompt, completion: usage.completion }, model, latencyMs, at, round: v.round ?? 0 };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
