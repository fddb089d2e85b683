import { z } from 'zod';

/** The parts of an OpenAI chat.completion / text_completion reply the sampler reads. */
const Usage = z
  .looseObject({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() })
  .nullish();

export const ChatCompletionReply = z.looseObject({
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().optional(),
      message: z.looseObject({ content: z.string().nullish() }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: Usage,
});

export const CompletionReply = z.looseObject({
  model: z.string().optional(),
  choices: z.array(z.looseObject({ index: z.number().int().optional(), text: z.string(), finish_reason: z.string().nullish() })),
  usage: Usage,
});
