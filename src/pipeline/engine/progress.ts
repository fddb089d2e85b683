import type { TokenUsage } from '../../core/schema/response';

/** Per-million-token prices in US dollars (RunSettings.prices). */
export interface Prices {
  promptPerMTok: number;
  completionPerMTok: number;
}

/** A snapshot of one endpoint's work, sent with every change. */
export interface Progress {
  /** Units (responses, scores) written by the sink. */
  done: number;
  /** Units given up on after retries or a non-retryable error. */
  failed: number;
  /** Requests on the wire now. */
  inFlight: number;
  /** Attempts repeated after a retryable failure. */
  retried: number;
  promptTokens: number;
  completionTokens: number;
  /** Estimated from token counts and prices. */
  costUsd: number;
}

export function emptyProgress(): Progress {
  return { done: 0, failed: 0, inFlight: 0, retried: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

export function addUsage(p: Progress, usage: TokenUsage, prices: Prices | undefined): void {
  p.promptTokens += usage.prompt;
  p.completionTokens += usage.completion;
  if (prices) p.costUsd = (p.promptTokens * prices.promptPerMTok + p.completionTokens * prices.completionPerMTok) / 1e6;
}
