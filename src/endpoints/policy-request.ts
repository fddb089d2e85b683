import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, CompletionCreateParamsNonStreaming } from 'openai/resources';
import { DEFAULT_SYSTEM_PROMPT } from '../core/schema/prompt-defaults';
import { DEFAULT_TIMEOUT_MS } from './endpoint-options';
import { fromSdkError } from './openai-errors';
import { saysNUnsupported } from './server-messages';
import { requestSeed } from '../core/request-seed';
import { ReplyTooLarge, httpFetch, isTimeout, plainHeaders, type BufferedReply } from './http-fetch';
import { EndpointError } from './endpoint-error';
import { promptOf, samplingUrl, type PolicyReply, type PolicyTransport, type RequestKey, type SamplingOptions } from './sampling-options';

/**
 * Sampling requests to one base URL through the openai SDK (chat or plain completions).
 * The SDK builds each route's requests (URL and headers, with `buildRequest`; the body is
 * JSON, as the SDK writes it) and reads each failure (its APIError classes, from status,
 * body and headers); the exchange itself is httpFetch,
 * because the SDK's own request machinery (a controller, a deadline and several promise
 * steps per request, debug details built even with logging off) cost about as much CPU
 * as the exchange at thousands of requests a second. A 400 whose message or `param` says
 * `n` > 1 is unsupported (see saysNUnsupported) is asked again for one sample, and the
 * reply says so; any other 400 (vLLM's context-length check, most often) fails the
 * request alone. The reply's body is handed back unread.
 */
export class PolicyRequests {
  readonly url: string;
  /** The key value, so that an unexpected error's text can be redacted. */
  readonly apiKey: string | undefined;
  private readonly client: PolicyClient;
  private readonly timeoutMs: number;
  private readonly routes = new Map<string, Promise<{ url: string; headers: Record<string, string> }>>();

  constructor(private readonly opts: SamplingOptions) {
    this.url = samplingUrl(opts);
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new PolicyClient({
      baseURL: opts.baseURL,
      // Local servers take no key; the SDK insists on one, so a placeholder is given (and
      // its header dropped from every request, see route).
      apiKey: opts.apiKey ?? 'none',
      organization: null,
      project: null,
      maxRetries: 0, // the engine owns retries
      timeout: this.timeoutMs,
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

  /**
   * The URL and headers the SDK builds for a route. They hold nothing of one request (no
   * per-request id; the test of this file holds the SDK to it), so they are built once per
   * route and every request sends its body as the SDK would, as JSON.
   */
  private route(path: string, body: object): Promise<{ url: string; headers: Record<string, string> }> {
    let built = this.routes.get(path);
    if (!built) {
      built = this.client.buildRequest({ method: 'post', path, body }).then(({ req, url }) => {
        const headers = plainHeaders(req.headers);
        // No key, no Authorization header: nothing that looks like one goes to a keyless server.
        if (this.apiKey === undefined) delete headers.authorization;
        return { url, headers };
      });
      this.routes.set(path, built);
      built.catch(() => this.routes.delete(path));
    }
    return built;
  }

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
    let path: string;
    let body: ChatCompletionCreateParamsNonStreaming | CompletionCreateParamsNonStreaming;
    if (o.api === 'completions') {
      path = '/completions';
      body = { ...common, prompt: promptOf(o, question), stream: false };
    } else {
      const system = o.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
      path = '/chat/completions';
      body = { ...common, messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user' as const, content: promptOf(o, question) }], stream: false };
    }
    const { url, headers } = await this.route(path, body);
    const started = performance.now();
    let reply: BufferedReply;
    try {
      reply = await httpFetch(url, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: this.timeoutMs, ...(signal ? { cancel: signal } : {}) });
    } catch (err) {
      // Past the size cap: refused as the JSON clients refuse it.
      if (err instanceof ReplyTooLarge && !signal?.aborted) throw new EndpointError('malformed', url, null, err.message);
      throw exchangeError(err, signal);
    }
    if (!reply.ok) throw await this.client.statusError(reply);
    // The body is whole in memory (see BufferedReply).
    const bytes = new Uint8Array(await reply.arrayBuffer());
    return { bytes, asked: n, refusedN, latencyMs: Math.round(performance.now() - started) };
  }
}

/**
 * The SDK client of a PolicyRequests. It reads a failed reply as the SDK does (the JSON
 * body's `error` object, else its text). Older vLLM releases answer flat `{"object":
 * "error", "message", "type", "param", "code"}`, which the SDK would report as a bare
 * status; such a body is read as if nested.
 */
class PolicyClient extends OpenAI {
  async statusError(reply: BufferedReply): Promise<APIError> {
    const text = await reply.text();
    let json: object | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') json = parsed;
    } catch {
      // not JSON: the text is the message
    }
    // The SDK reads only `get` of the headers, which ReplyHeaders has.
    return this.makeStatusError(reply.status, json as object, json ? undefined : text, reply.headers as unknown as Headers);
  }

  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    const flat = error as { object?: unknown; message?: unknown; error?: unknown } | undefined;
    const nested = flat && flat.error === undefined && flat.object === 'error' && typeof flat.message === 'string' ? { error: flat } : error;
    return super.makeStatusError(status, nested, message, headers);
  }
}

/** A failed exchange as the SDK's error for it: cancelled, out of time, or no connection. */
function exchangeError(err: unknown, signal: AbortSignal | undefined): APIError {
  if (signal?.aborted) return new APIUserAbortError();
  if (isTimeout(err)) return new APIConnectionTimeoutError();
  return new APIConnectionError({ cause: err instanceof Error ? err : new Error(String(err)) });
}

/** The SDK's error for a 400/422 whose message or `param` says `n` > 1 is unsupported. */
function refusesN(err: unknown): boolean {
  if (!(err instanceof APIError) || typeof err.status !== 'number') return false;
  const body = err.error as { message?: unknown; param?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  const param = typeof body?.param === 'string' ? body.param : typeof err.param === 'string' ? err.param : null;
  return saysNUnsupported(err.status, message, param);
}

