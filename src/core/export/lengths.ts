import type { PairRow } from './rows';

export interface LengthStats {
  median: number;
  p95: number;
  max: number;
}

/**
 * Token lengths of an export, counted by the policy server itself: `prompt_tokens` is the
 * prompt as the server rendered it (chat template included), and a response's tokens are
 * its `completion_tokens` (when one request carried n samples the server reports one total,
 * shared among them in proportion to their text lengths). A trainer loading the same
 * model's tokenizer sees the same counts, give or take the end-of-turn tokens it appends.
 */
export interface ExportLengths {
  prompt: LengthStats;
  chosen: LengthStats;
  rejected: LengthStats;
  /** Prompt + the longer side: what a trainer's max length must hold. */
  pair: LengthStats;
  /** Pairs whose responses carry no token counts (e.g. a server that reported no usage). */
  uncounted: number;
  /** Suggested trainer limits: nothing is cut (see `suggestedLimit`). */
  suggested: { maxLength: number; maxPromptLength: number };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function stats(values: number[]): LengthStats {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? 0 };
}

/** Room for what trainers add after the response (end-of-turn tokens, EOS). */
export const TEMPLATE_MARGIN = 8;

/** The longest sequence plus the margin, rounded up to a multiple of 64. */
export function suggestedLimit(longest: number): number {
  return Math.max(64, Math.ceil((longest + TEMPLATE_MARGIN) / 64) * 64);
}

export function exportLengths(rows: readonly PairRow[]): ExportLengths {
  const counted = rows.filter((r) => r.promptTokens > 0 && (r.chosenTokens > 0 || r.chosen === '') && (r.rejectedTokens > 0 || r.rejected === ''));
  const pair = counted.map((r) => r.promptTokens + Math.max(r.chosenTokens, r.rejectedTokens));
  const prompt = stats(counted.map((r) => r.promptTokens));
  const pairStats = stats(pair);
  return {
    prompt,
    chosen: stats(counted.map((r) => r.chosenTokens)),
    rejected: stats(counted.map((r) => r.rejectedTokens)),
    pair: pairStats,
    uncounted: rows.length - counted.length,
    suggested: { maxLength: suggestedLimit(pairStats.max), maxPromptLength: suggestedLimit(prompt.max) },
  };
}
