import { z } from 'zod';

export const Stage = z.enum(['pre', 're']);
export type Stage = z.infer<typeof Stage>;

export const TokenUsage = z.object({
  prompt: z.number().int().nonnegative(),
  completion: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/**
 * One sampled solution. `id` is deterministic (`problemId:slot`), so a resumed run knows
 * which slots are already paid for and a batch import is idempotent.
 */
export const Response = z.object({
  id: z.string().min(1),
  problemId: z.string().min(1),
  /** 0-based sample number within the problem; slots < n_p are pre-samples. */
  slot: z.number().int().nonnegative(),
  stage: Stage,
  text: z.string(),
  /** `length` responses are kept but flagged as truncated. */
  finishReason: z.string().nullable(),
  usage: TokenUsage,
  model: z.string(),
  latencyMs: z.number().nonnegative(),
  /** ISO time the response was written. */
  at: z.string(),
  /** Curation round this response belongs to (0 for a first run). */
  round: z.number().int().nonnegative().default(0),
});
export type Response = z.infer<typeof Response>;

export function responseId(problemId: string, slot: number): string {
  return `${problemId}:${slot}`;
}

export function isTruncated(r: Pick<Response, 'finishReason'>): boolean {
  return r.finishReason === 'length';
}
