import { z } from 'zod';

/**
 * One line of a batch input file, as the OpenAI Batch API and `vllm run-batch` read it:
 * `{custom_id, method: "POST", url, body}` where body is the route's ordinary request.
 */
export const BATCH_CHAT_URL = '/v1/chat/completions';
export const BATCH_COMPLETIONS_URL = '/v1/completions';
export const BatchUrl = z.enum([BATCH_CHAT_URL, BATCH_COMPLETIONS_URL]);
export type BatchUrl = z.infer<typeof BatchUrl>;

const ChatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

const SamplingFields = {
  model: z.string().min(1),
  n: z.number().int().positive(),
  temperature: z.number().min(0).max(2),
  top_p: z.number().gt(0).max(1),
  max_tokens: z.number().int().positive(),
  stop: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
};

export const ChatRequestBody = z.object({ ...SamplingFields, messages: z.array(ChatMessage).min(1) });
export type ChatRequestBody = z.infer<typeof ChatRequestBody>;

export const CompletionRequestBody = z.object({ ...SamplingFields, prompt: z.string() });
export type CompletionRequestBody = z.infer<typeof CompletionRequestBody>;

export const BatchInputLine = z.discriminatedUnion('url', [
  z.object({ custom_id: z.string().min(1), method: z.literal('POST'), url: z.literal(BATCH_CHAT_URL), body: ChatRequestBody }),
  z.object({
    custom_id: z.string().min(1),
    method: z.literal('POST'),
    url: z.literal(BATCH_COMPLETIONS_URL),
    body: CompletionRequestBody,
  }),
]);
export type BatchInputLine = z.infer<typeof BatchInputLine>;
