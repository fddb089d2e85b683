import OpenAI, { APIError } from 'openai';
import type { z } from 'zod';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_PROMPT_TEMPLATE } from '../core/schema/settings';
import type { TokenUsage } from '../core/schema/response';
import { DEFAULT_TIMEOUT_MS, type EndpointOptions } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { fromSdkError } from './openai-errors';
import { saysNUnsupported } from './server-messages';
import { requestSeed } from '../core/request-seed';
import { ChatCompletionReply, CompletionReply, isChatCompletionReply, isCompletionReply } from './policy-replies';
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

/** One sampled solution as the server returned it. */
export interface Sample {
  text: string;
  /** `length` means cut at max_tokens: kept, flagged by the caller. */
  finishReason: string | null;
  usage: TokenUsage;
  model: string;
  latencyMs: number;
}

/** One request's worth of samples and what the request cost in tokens. */
export interface SampleBatch {
  samples: Sample[];
  usage: TokenUsage;
}

/** What the engine asks of a policy endpoint: a PolicySampler, or one that runs on the sampling thread. */
export interface PolicyEndpoint {
  readonly url: string;
  readonly model: string;
  readonly supportsN: boolean;
  prompt(question: string): string;
  sample(question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleBatch>;
}

/** The URL a sampler posts to: `…/chat/completions` or `…/completions`. */
export function samplingUrl(opts: Pick<SamplingOptions, 'baseURL' | 'api'>): string {
  return `${opts.baseURL.replace(/\/+$/, '')}/${opts.api === 'completions' ? 'completions' : 'chat/completions'}`;
}

/** The user message for a question: the template with `{question}` filled in. */
export function promptOf(opts: Pick<SamplingOptions, 'promptTemplate'>, question: string): string {
  return (opts.promptTemplate ?? DEFAULT_PROMPT_TEMPLATE).split('{question}').join(question);
}

/**
 * The policy model behind one base URL, through the openai SDK (chat or plain completions).
 * Asks for `n` samples per request; when the server says `n` > 1 is unsupported (its 400's
 * message or `param`, see saysNUnsupported) or ignores it, it remembers and asks for one at
 * a time from then on. Any other 400 (vLLM's context-length check, most often) fails the
 * request alone.
 */
export class PolicySampler implements PolicyEndpoint {
  readonly url: string;
  readonly model: string;
  private readonly client: OpenAI;
  private nSupported = true;

  constructor(private readonly opts: SamplingOptions) {
    this.model = opts.model;
    this.url = samplingUrl(opts);
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

  /** Whether the server is still believed to honour `n` > 1. */
  get supportsN(): boolean {
    return this.nSupported;
  }

  prompt(question: string): string {
    return promptOf(this.opts, question);
  }

  /** Up to `n` samples for one question; fewer when the server gives fewer. */
  async sample(question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleBatch> {
    const want = this.nSupported ? Math.max(1, n) : 1;
    try {
      const batch = await this.request(question, want, signal, key);
      if (want > 1 && batch.samples.length === 1) this.nSupported = false;
      return batch;
    } catch (err) {
      const e = fromSdkError(err, this.url, this.opts.apiKey, signal);
      if (want > 1 && e.kind === 'http' && refusesN(err)) {
        this.nSupported = false;
        return this.sample(question, 1, signal, key);
      }
      throw e;
    }
  }

  private async request(question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleBatch> {
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
    let texts: { text: string; finishReason: string | null }[];
    let usage: z.infer<typeof ChatCompletionReply>['usage'];
    let model: string | undefined;
    if (o.api === 'completions') {
      const raw = await body(this.client.completions.create({ ...common, prompt: this.prompt(question), stream: false }, options).asResponse());
      const reply = isCompletionReply(raw) ? raw : this.parse(CompletionReply, raw);
      texts = reply.choices.map((c) => ({ text: c.text, finishReason: c.finish_reason ?? null }));
      ({ usage, model } = reply);
    } else {
      const system = o.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
      const messages = [
        ...(system ? [{ role: 'system' as const, content: system }] : []),
        { role: 'user' as const, content: this.prompt(question) },
      ];
      const raw = await body(this.client.chat.completions.create({ ...common, messages, stream: false }, options).asResponse());
      const reply = isChatCompletionReply(raw) ? raw : this.parse(ChatCompletionReply, raw);
      texts = reply.choices.map((c) => ({ text: c.message.content ?? '', finishReason: c.finish_reason ?? null }));
      ({ usage, model } = reply);
    }
    if (texts.length === 0) throw new EndpointError('malformed', this.url, 200, 'reply has no choices');
    const latencyMs = Math.round(performance.now() - started);
    const total = { prompt: usage?.prompt_tokens ?? 0, completion: usage?.completion_tokens ?? 0 };
    const shares = splitTokens(total.completion, texts.map((t) => t.text.length));
    return {
      usage: total,
      samples: texts.map((t, i) => ({
        ...t,
        usage: { prompt: total.prompt, completion: shares[i]! },
        model: model ?? o.model,
        latencyMs,
      })),
    };
  }

  private parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
    const r = schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new EndpointError('malformed', this.url, 200, `unexpected reply shape at ${issue?.path.join('.') || '(root)'}`);
    }
    return r.data;
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

/**
 * The JSON of a successful reply. The SDK has already turned any failure status into its
 * error; reading the body here rather than through the SDK's parser spares a timer, a
 * promise race and an abort listener per request (the whole body is already in memory:
 * see BufferedReply). A body that is not JSON throws a SyntaxError, as the SDK's would.
 */
async function body(reply: Promise<globalThis.Response>): Promise<unknown> {
  return JSON.parse(await (await reply).text());
}

/**
 * A request with n > 1 reports one completion-token total. Each sample gets a share in
 * proportion to its length (largest remainder, so the shares add up to the total).
 */
export function splitTokens(total: number, lengths: readonly number[]): number[] {
  if (lengths.length <= 1) return lengths.length ? [total] : [];
  const sum = lengths.reduce((a, b) => a + b, 0);
  const weights = sum > 0 ? lengths.map((l) => l / sum) : lengths.map(() => 1 / lengths.length);
  const exact = weights.map((w) => w * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]![1]]! += 1;
  return out;
}
