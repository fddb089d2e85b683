import type { PairRow } from './rows';

/**
 * TRL's "standard" preference format: plain strings. The prompt is the user message as
 * sent (the system prompt is not part of a standard-format prompt).
 */
export function trlStandardRecord(row: PairRow): { prompt: string; chosen: string; rejected: string } {
  return { prompt: row.prompt, chosen: row.chosen, rejected: row.rejected };
}
