import { z } from 'zod';

/**
 * Reply shapes of vLLM's OpenAI-compatible server (vllm/entrypoints/.../protocol.py):
 * UsageInfo, PoolingResponse, EmbeddingResponse, ClassificationResponse, TokenizeResponse.
 * Only the fields this project reads are required; the rest pass through.
 */
export const UsageInfo = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().nullish(),
});

const Numbers = z.array(z.number());

export const PoolingResponse = z.looseObject({
  model: z.string().optional(),
  data: z.array(
    z.looseObject({
      index: z.number().int(),
      // list[list[float]] | list[float]; base64 strings are not requested by us.
      data: z.union([z.array(Numbers), Numbers]),
    }),
  ),
  usage: UsageInfo.optional(),
});
export type PoolingResponse = z.infer<typeof PoolingResponse>;

export const EmbeddingResponse = z.looseObject({
  model: z.string().optional(),
  data: z.array(z.looseObject({ index: z.number().int(), embedding: Numbers })),
  usage: UsageInfo.optional(),
});
export type EmbeddingResponse = z.infer<typeof EmbeddingResponse>;

export const ClassificationResponse = z.looseObject({
  model: z.string().optional(),
  data: z.array(
    z.looseObject({
      index: z.number().int(),
      label: z.string().nullish(),
      probs: Numbers.min(1),
      num_classes: z.number().int().positive(),
    }),
  ),
  usage: UsageInfo.optional(),
});
export type ClassificationResponse = z.infer<typeof ClassificationResponse>;

export const TokenizeResponse = z.looseObject({
  count: z.number().int().nonnegative(),
  max_model_len: z.number().int().optional(),
  tokens: z.array(z.number().int()),
});
export type TokenizeResponse = z.infer<typeof TokenizeResponse>;
