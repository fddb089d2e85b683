import type { PolicySettings } from '../schema/settings';
import {
  BATCH_CHAT_URL,
  BATCH_COMPLETIONS_URL,
  type BatchInputLine,
  type ChatRequestBody,
  type CompletionRequestBody,
} from './input-line';
import { encodeCustomId, type SlotTarget } from './custom-id';
import { requestSeed } from '../request-seed';

/** The question placed in the run's prompt template. */
export function userPrompt(policy: Pick<PolicySettings, 'promptTemplate'>, question: string): string {
  // split/join rather than replace(), so `$&` or `$1` inside a question stays literal.
  return policy.promptTemplate.split('{question}').join(question);
}

function sampling(policy: PolicySettings, target: SlotTarget) {
  const n = target.slots.length;
  return {
    model: policy.model,
    n,
    temperature: policy.temperature,
    top_p: policy.topP,
    max_tokens: policy.maxTokens,
    ...(policy.stop?.length ? { stop: policy.stop } : {}),
    ...(policy.seed !== undefined ? { seed: requestSeed(policy.seed, target.problemId, target.slots[0]!) } : {}),
  };
}

/** The batch line that buys `target.slots` for one problem, same request as live sampling would send. */
export function batchRequestLine(policy: PolicySettings, question: string, target: SlotTarget): BatchInputLine {
  const custom_id = encodeCustomId(target);
  if (policy.api === 'completions') {
    const body: CompletionRequestBody = { ...sampling(policy, target), prompt: userPrompt(policy, question) };
    return { custom_id, method: 'POST', url: BATCH_COMPLETIONS_URL, body };
  }
  const messages: ChatRequestBody['messages'] = [];
  if (policy.systemPrompt) messages.push({ role: 'system', content: policy.systemPrompt });
  messages.push({ role: 'user', content: userPrompt(policy, question) });
  const body: ChatRequestBody = { ...sampling(policy, target), messages };
  return { custom_id, method: 'POST', url: BATCH_CHAT_URL, body };
}

/** Splits pending slots into requests of at most `perRequest` samples each. */
export function chunkSlots(problemId: string, slots: number[], perRequest: number): SlotTarget[] {
  const size = Math.max(1, perRequest);
  const out: SlotTarget[] = [];
  for (let i = 0; i < slots.length; i += size) out.push({ problemId, slots: slots.slice(i, i + size) });
  return out;
}
