import { EndpointError } from './endpoint-error';

/**
 * What an OpenAI-compatible server's 400 says, read from its message. vLLM answers every
 * validation failure with 400 (most often prompt + max_tokens over `max_model_len`), so the
 * status alone never tells why a request was refused.
 */

/** vLLM: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens…". */
const CONTEXT_LIMIT = /maximum context length is (\d+) tokens/i;
const REQUESTED = /(?:you requested|request has|prompt contains at least) (\d+)(?: input)? tokens/i;

export interface ContextOverflow {
  /** The server's `max_model_len`. */
  limit: number;
  /** The tokens the server counted, when its message says. */
  requested?: number;
}

export function contextOverflowOf(err: unknown): ContextOverflow | undefined {
  if (!(err instanceof EndpointError) || err.kind !== 'http' || err.status !== 400) return undefined;
  const limit = CONTEXT_LIMIT.exec(err.message);
  if (!limit) return undefined;
  const requested = REQUESTED.exec(err.message);
  return { limit: Number(limit[1]), ...(requested ? { requested: Number(requested[1]) } : {}) };
}

/**
 * Whether a refused request was refused for asking `n` > 1 samples: the error names the
 * parameter `n`, or the message says n is unsupported / must be 1 (wordings of OpenAI's API,
 * of vLLM's older greedy-sampling check and of other OpenAI-compatible servers). A context
 * length or any other validation error is not.
 */
export function saysNUnsupported(status: number | null, message: string, param?: string | null): boolean {
  if (status !== 400 && status !== 422) return false;
  if (CONTEXT_LIMIT.test(message)) return false;
  if (param === 'n') return true;
  const n = String.raw`(?:'n'|"n"|\`n\`|\bn(?= ?[>=]| must| is| parameter))`;
  return (
    new RegExp(`${n}[^.]*?(?:not supported|unsupported|must be 1|> ?1 is not)`, 'i').test(message) ||
    new RegExp(`(?:unsupported|not supported)[^.]*?${n}`, 'i').test(message) ||
    /only n ?= ?1\b/i.test(message)
  );
}
