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

/**
 * The hot path of reading a policy reply: the same checks as ChatCompletionReply /
 * CompletionReply (a unit test holds them equal), written out, so a reply that passes is
 * used as it is, with no copy of its choices. When it says no, zod gives the reason.
 */
export function isChatCompletionReply(v: unknown): v is z.infer<typeof ChatCompletionReply> {
  return isReply(v, (c) => isObject(c.message) && isNullish(c.message.content, 'string'));
}

export function isCompletionReply(v: unknown): v is z.infer<typeof CompletionReply> {
  return isReply(v, (c) => typeof c.text === 'string');
}

type Loose = Record<string, unknown>;

function isReply(v: unknown, choiceBody: (c: Loose) => boolean): boolean {
  if (!isObject(v) || (v.model !== undefined && typeof v.model !== 'string')) return false;
  if (!Array.isArray(v.choices)) return false;
  for (const c of v.choices as unknown[]) {
    if (!isObject(c) || (c.index !== undefined && !isInt(c.index)) || !choiceBody(c) || !isNullish(c.finish_reason, 'string')) return false;
  }
  const u = v.usage;
  return u === undefined || u === null || (isObject(u) && isCount(u.prompt_tokens) && isCount(u.completion_tokens));
}

function isObject(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNullish(v: unknown, type: 'string'): boolean {
  return v === undefined || v === null || typeof v === type;
}

function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

function isCount(v: unknown): boolean {
  return isInt(v) && (v as number) >= 0;
}
