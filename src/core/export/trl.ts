import type { PairRow } from './rows';
import { promptMessages } from './messages';
import type { PromptRenderer } from './chat-template';

/**
 * TRL's "standard" preference format: plain strings, which TRL tokenizes as they are (it
 * applies a chat template only to conversational rows). So the prompt must be the text the
 * policy was conditioned on: for a chat run the conversation rendered with the model's chat
 * template, for a completions run the prompt as sent.
 */
export function trlStandardRecord(row: PairRow, render: PromptRenderer | null): { prompt: string; chosen: string; rejected: string } {
  const prompt = render ? render(promptMessages(row)) : row.prompt;
  return { prompt, chosen: row.chosen, rejected: row.rejected };
}
