import { Template } from '@huggingface/jinja';
import { z } from 'zod';
import { UserError } from '../errors';
import type { ChatMessage } from './messages';

/** A special token in tokenizer_config.json: a string or an AddedToken object. */
const SpecialToken = z.union([z.string(), z.object({ content: z.string() }).passthrough()]).nullable().optional();

/** The parts of a Hugging Face `tokenizer_config.json` a chat template needs. */
const TokenizerConfig = z
  .object({
    chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]),
  })
  .passthrough();

/** Renders a conversation the way the model's server does before sampling (add_generation_prompt). */
export type PromptRenderer = (messages: readonly ChatMessage[]) => string;

/**
 * The model's chat template as transformers' `apply_chat_template` (and so vLLM's chat route
 * and TRL) renders it: the `default` template when there are several, the special tokens
 * (`bos_token`, `eos_token`, …) as strings, `add_generation_prompt` true (the library
 * supplies `raise_exception`). `where` names the file for messages.
 */
export function chatTemplateRenderer(configText: string, where: string): PromptRenderer {
  let json: unknown;
  try {
    json = JSON.parse(configText);
  } catch (err) {
    throw new UserError(`is not JSON (${(err as Error).message})`, where);
  }
  const parsed = TokenizerConfig.safeParse(json);
  if (!parsed.success) throw new UserError('has no chat_template (a tokenizer_config.json of a chat model has one)', where);
  const config = parsed.data;
  const source = typeof config.chat_template === 'string' ? config.chat_template : config.chat_template.find((t) => t.name === 'default')?.template;
  if (source === undefined) throw new UserError('has several chat templates and none named "default"', where);
  let template: Template;
  try {
    template = new Template(source);
  } catch (err) {
    throw new UserError(`chat_template does not parse: ${(err as Error).message}`, where);
  }
  const tokens: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith('_token')) continue;
    const token = SpecialToken.safeParse(value);
    if (token.success && token.data) tokens[key] = typeof token.data === 'string' ? token.data : token.data.content;
  }
  return (messages) => {
    try {
      return template.render({
        ...tokens,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        add_generation_prompt: true,
      });
    } catch (err) {
      throw new UserError(`chat_template failed to render: ${(err as Error).message}`, where);
    }
  };
}
