import type { PairRow } from './rows';
import { assistant, promptMessages, type ChatMessage } from './messages';

/** The OpenRLHF flags that read this file (its DPO/reward datasets take the keys as options). */
export const OPENRLHF_FLAGS = '--prompt_key prompt --chosen_key chosen --rejected_key rejected --apply_chat_template';

/**
 * OpenRLHF's preference record read with a chat template: the prompt as messages and each
 * side as the assistant turn that follows it; the ids let a trained pair be traced back.
 */
export function openRlhfRecord(row: PairRow): {
  prompt: ChatMessage[];
  chosen: ChatMessage[];
  rejected: ChatMessage[];
  problem_id: string;
  chosen_id: string;
  rejected_id: string;
} {
  return {
    prompt: promptMessages(row),
    chosen: assistant(row.chosen),
    rejected: assistant(row.rejected),
    problem_id: row.problemId,
    chosen_id: row.chosenId,
    rejected_id: row.rejectedId,
  };
}
