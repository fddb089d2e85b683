import { z } from 'zod';

/**
 * One line of a batch output (or error) file: `{id, custom_id, response, error}`.
 * `response` is null when the request failed before any HTTP reply; `error` is then set.
 * Bodies are checked loosely here and strictly by the choice reader, so one odd field in a
 * provider's reply does not reject the whole line.
 */
/** Any shape: a string, vLLM's ErrorResponse (nested or flat, `code` a number) or OpenAI's `{code, message}`; read by batchErrorMessage. */
export const BatchError = z.record(z.string(), z.unknown());
export type BatchError = z.infer<typeof BatchError>;

export const BatchResponseData = z.object({
  status_code: z.number().int(),
  request_id: z.string().nullish(),
  body: z.unknown().optional(),
});

export const BatchOutputLine = z.object({
  id: z.string().nullish(),
  custom_id: z.string().min(1),
  response: BatchResponseData.nullish(),
  error: z.union([BatchError, z.string()]).nullish(),
});
export type BatchOutputLine = z.infer<typeof BatchOutputLine>;

const Usage = z
  .object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() })
  .passthrough();

/** A chat completion or a plain completion reply: the text is in `message.content` or `text`. */
export const CompletionReplyBody = z
  .object({
    model: z.string().optional(),
    choices: z.array(
      z
        .object({
          index: z.number().int().nonnegative(),
          message: z.object({ content: z.string().nullable() }).passthrough().optional(),
          text: z.string().optional(),
          finish_reason: z.string().nullable().optional(),
        })
        .passthrough(),
    ),
    usage: Usage.nullish(),
  })
  .passthrough();
export type CompletionReplyBody = z.infer<typeof CompletionReplyBody>;
