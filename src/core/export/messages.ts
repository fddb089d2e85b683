import type { PairRow } from './rows';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The conversation the policy saw before answering: system prompt (when set), then the user prompt. */
export function promptMessages(row: PairRow): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (row.system) messages.push({ role: 'system', content: row.system });
  messages.push({ role: 'user', content: row.prompt });
  return messages;
}

export function assistant(content: string): ChatMessage[] {
  return [{ role: 'assistant', content }];
}
