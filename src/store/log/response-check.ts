import type { ResponseRecord } from '../../core/schema/records';

/**
 * The fast path of reading responses.jsonl: the same checks as the ResponseRecord zod
 * schema (a unit test holds the two equal), written out so a million lines open in seconds.
 * Returns null when the value does not pass; the caller then asks zod for the reason.
 */
export function checkResponseRecord(v: unknown): ResponseRecord | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const { kind, id, problemId, slot, stage, text, finishReason, usage, model, latencyMs, at } = o;
  const round = o.round === undefined ? 0 : o.round;
  if (kind !== 'response') return null;
  if (typeof id !== 'string' || id.length === 0 || typeof problemId !== 'string' || problemId.length === 0) return null;
  if (!isCount(slot) || !isCount(round)) return null;
  if (stage !== 'pre' && stage !== 're') return null;
  if (typeof text !== 'string' || typeof model !== 'string' || typeof at !== 'string') return null;
  if (finishReason !== null && typeof finishReason !== 'string') return null;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) return null;
  if (typeof usage !== 'object' || usage === null || Array.isArray(usage)) return null;
  const { prompt, completion } = usage as Record<string, unknown>;
  if (!isCount(prompt) || !isCount(completion)) return null;
  return { kind, id, problemId, slot, stage, text, finishReason, usage: { prompt, completion }, model, latencyMs, at, round };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
