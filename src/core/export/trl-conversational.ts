import type { PairRow } from './rows';
import { assistant, promptMessages, type ChatMessage } from './messages';

/** TRL's "conversational" preference format: the prompt as messages, each completion as one assistant turn. */
export function trlConversationalRecord(row: PairRow): { prompt: ChatMessage[]; chosen: ChatMessage[]; rejected: ChatMessage[] } {
  return { prompt: promptMessages(row), chosen: assistant(row.chosen), rejected: assistant(row.rejected) };
}
