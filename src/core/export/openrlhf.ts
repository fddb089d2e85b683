import type { PairRow } from './rows';
import { assistant, promptMessages, type ChatMessage } from './messages';

/**
 * OpenRLHF's preference record. A chat run's prompt is the message list, read with
 * `--data.apply_chat_template` (OpenRLHF renders prompt + chosen and keeps the part after
 * the prompt); a completions run's is the raw prompt, which OpenRLHF joins to each side
 * as it is when no template is given.
 */
export function openRlhfRecord(
  row: PairRow,
  api: 'chat' | 'completions',
): { prompt: ChatMessage[] | string; chosen: ChatMessage[] | string; rejected: ChatMessage[] | string } {
  if (api === 'completions') return { prompt: row.prompt, chosen: row.chosen, rejected: row.rejected };
  return { prompt: promptMessages(row), chosen: assistant(row.chosen), rejected: assistant(row.rejected) };
}
