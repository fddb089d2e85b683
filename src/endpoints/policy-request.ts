import OpenAI, { APIError } from 'openai';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_PROMPT_TEMPLATE } from '../core/schema/prompt-defaults';
import { DEFAULT_TIMEOUT_MS, type EndpointOptions } from './endpoint-options';
import { fromSdkError } from './openai-errors';
import { saysNUnsupported } from './server-messages';
import { requestSeed } from '../core/request-seed';
import { httpFetch, type HttpFetchInit } from './http-fetch';

export interface SamplingOptions extends EndpointOptions {
  api?: 'chat' | 'completions';
  systemPrompt?: string;
  /** Must contain `{question}`. */
  promptTemplate?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  /** The run's sampling seed (`policy.seed`); each request sends its own seed derived from it. */
  seed?: number;
}

/** Which request of a run this is: each gets its own seed (see requestSeed). */
export interface RequestKey {
  problemId: string;
  firstSlot: number;
}

/** One request's reply as the server sent it, before it is read (PolicySampler reads it). */
export interface PolicyReply {
  /** The JSON body. */
  bytes: Uint8Array;
  /** The `n` of the request that was answered. */
  asked: number;
  /** The server refused `n` > 1 (a 400 saying so) and was asked again for one sample. */
  refusedN: boolean;
  latencyMs: number;
}

/** Sends one sampling request and hands back its reply; rejects with an EndpointError. */
export type PolicyTransport = (question: string, n: number, signal?: AbortSignal, key?: RequestKey) => Promise<PolicyReply>;

/** The URL a sampler posts to: `…/chat/completions` or `…/completions`. */
export function samplingUrl(opts: Pick<SamplingOptions, 'baseURL' | 'api'>): string {
  return `${opts.baseURL.replace(/\/+$/, '')}/${opts.api === 'completions' ? 'completions' : 'chat/completions'}`;
}

/** The user message for a question: the template with `{question}` filled in. */
export function promptOf(opts: Pick<SamplingOptions, 'promptTemplate'>, question: string): string {
  return (opts.promptTemplate ?? DEFAULT_PROMPT_TEMPLATE).split('{question}').join(question);
}

/**
 * Sampling requests to one base URL through the openai SDK (chat or plain completions).
 * A 400 whose message or `param` says `n` > 1 is unsupported (see saysNUnsupported) is
 * asked again for one sample, and the reply says so; any other 400 (vLLM's context-length
 * check, most often) fails the request alone. The reply's body is handed back unread.
 */
export class PolicyRequests {
  readonly url: string;
  /** The key value, so that an unexpected error's text can be redacted. */
  readonly apiKey: string | undefined;
  private readonly client: OpenAI;

  constructor(private readonly opts: SamplingOptions) {
    this.url = samplingUrl(opts);
    this.apiKey = opts.apiKey;
    this.client = new OpenAiReadingFlatErrors({
      baseURL: opts.baseURL,
      // Local servers take no key; the SDK insists on one, so a placeholder is sent.
      apiKey: opts.apiKey ?? 'none',
      organization: null,
      project: null,
      maxRetries: 0, // the engine owns retries
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: httpFetch,
      // OPENAI_LOG=debug in the environment must not print request headers.
      logLevel: 'off',
    });
  }

  readonly send: PolicyTransport = async (question, n, signal, key) => {
    try {
      return await this.request(question, n, signal, key, false);
    } catch (err) {
      if (n > 1 && refusesN(err)) {
        try {
          return await this.request(question, 1, signal, key, true);
        } catch (again) {
          throw fromSdkError(again, this.url, this.apiKey, signal);
        }
      }
      throw fromSdkError(err, this.url, this.apiKey, signal);
    }
  };

  private async request(question: string, n: number, signal: AbortSignal | undefined, key: RequestKey | undefined, refusedN: boolean): Promise<PolicyReply> {
    const o = this.opts;
    const seed = o.seed === undefined ? undefined : key ? requestSeed(o.seed, key.problemId, key.firstSlot) : o.seed;
    const common = {
      model: o.model,
      n,
      temperature: o.temperature ?? 0.7,
      top_p: o.topP ?? 0.95,
      max_tokens: o.maxTokens ?? 2048,
      ...(o.stop?.length ? { stop: o.stop } : {}),
      ...(seed !== undefined ? { seed } : {}),
    };
    // The signal goes to our fetch, not to the SDK: see HttpFetchInit.
    const cancel: Pick<HttpFetchInit, 'cancel'> = { cancel: signal };
    const options = { fetchOptions: cancel as Record<never, never> };
    const started = performance.now();
    let reply: globalThis.Response;
    if (o.api === 'completions') {
      reply = await this.client.completions.create({ ...common, prompt: promptOf(o, question), stream: false }, options).asResponse();
    } else {
      const system = o.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
      const messages = [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user' as const, content: promptOf(o, question) }];
      reply = await this.client.chat.completions.create({ ...common, messages, stream: false }, options).asResponse();
    }
    // The SDK has already turned a failure status into its error; the body is whole in memory (see BufferedReply).
    const bytes = new Uint8Array(await reply.arrayBuffer());
    return { bytes, asked: n, refusedN, latencyMs: Math.round(performance.now() - started) };
  }
}

/**
 * The SDK reads an error's message from the body's `error` object (vLLM's current shape);
 * older vLLM releases answer flat `{"object": "error", "message", "type", "param", "code"}`,
 * which the SDK would report as a bare status. Such a body is read as if nested.
 */
class OpenAiReadingFlatErrors extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    const flat = error as { object?: unknown; message?: unknown; error?: unknown } | undefined;
    const nested = flat && flat.error === undefined && flat.object === 'error' && typeof flat.message === 'string' ? { error: flat } : error;
    return super.makeStatusError(status, nested, message, headers);
  }
}

/** The SDK's error for a 400/422 whose message or `param` says `n` > 1 is unsupported. */
function refusesN(err: unknown): boolean {
  if (!(err instanceof APIError) || typeof err.status !== 'number') return false;
  const body = err.error as { message?: unknown; param?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  const param = typeof body?.param === 'string' ? body.param : typeof err.param === 'string' ? err.param : null;
  return saysNUnsupported(err.status, message, param);
}

