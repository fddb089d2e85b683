import type { z } from 'zod';
import type { Readable } from 'node:stream';
import { ReplyTooLarge, httpFetch, isTimeout, type BufferedReply } from './http-fetch';
import { EndpointError, clip, parseRetryAfter, redact, redirectDetail, rootCause } from './endpoint-error';
import { DEFAULT_TIMEOUT_MS, type EndpointOptions } from './endpoint-options';

export interface PostOptions {
  apiKey?: string;
  signal?: AbortSignal;
  /** Per-request limit in milliseconds. */
  timeoutMs: number;
}

/** The post options of one client's endpoint: its key, the caller's signal, its time limit. */
export function postOptionsOf(endpoint: Pick<EndpointOptions, 'apiKey' | 'timeoutMs'>, signal?: AbortSignal): PostOptions {
  return { apiKey: endpoint.apiKey, signal, timeoutMs: endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/** One exchange's request: a JSON body (or another body with its own content type), or none (GET). */
export interface ExchangeRequest {
  method: 'GET' | 'POST';
  body?: string | Readable;
  contentType?: string;
  /** The body's length, when it is a stream (sent as content-length rather than in chunks). */
  contentLength?: number;
  /** The reply's size cap; MAX_REPLY_BYTES unless given (a batch file has its own). */
  maxBytes?: number;
  /** Takes the reply's bytes as they arrive (a downloaded file); the reply is then empty. */
  sink?: (chunk: Buffer) => Promise<void>;
}

/**
 * One exchange with an endpoint through httpFetch; a reply is handed back only with a 2xx
 * status. Every failure is an EndpointError naming the URL (and status), with the key
 * redacted; a redirect is such a failure too (none is followed).
 */
export async function exchange(url: string, request: ExchangeRequest, opts: PostOptions): Promise<BufferedReply> {
  const secrets = [opts.apiKey];
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.contentLength !== undefined) headers['content-length'] = String(request.contentLength);
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;

  const failed = (err: unknown): EndpointError => {
    if (err instanceof EndpointError) return err;
    if (opts.signal?.aborted) return new EndpointError('aborted', url, null, 'cancelled');
    if (isTimeout(err)) return new EndpointError('timeout', url, null, `no reply within ${opts.timeoutMs} ms`);
    if (err instanceof ReplyTooLarge) return new EndpointError('malformed', url, null, err.message);
    return new EndpointError('connection', url, null, redact(`connection failed: ${rootCause(err)}`, secrets));
  };

  let res: BufferedReply;
  try {
    // The caller's signal is shared by every request of a run: given as `cancel`, it is
    // listened to once, not once per request; the time limit is a plain timer.
    res = await httpFetch(url, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      timeoutMs: opts.timeoutMs,
      ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
      ...(request.sink ? { sink: request.sink } : {}),
      ...(opts.signal ? { cancel: opts.signal } : {}),
    });
  } catch (err) {
    throw failed(err);
  }
  if (!res.ok) {
    const text = await res.text();
    const detail = redirectDetail(res.status, res.headers.get('location')) ?? clip(errorDetail(text) || res.statusText);
    throw new EndpointError('http', url, res.status, redact(detail, secrets), parseRetryAfter(res.headers.get('retry-after')));
  }
  return res;
}

/** An exchange whose reply is JSON of the shape `schema` describes. */
export async function requestJson<S extends z.ZodType>(url: string, request: ExchangeRequest, schema: S, opts: PostOptions): Promise<z.infer<S>> {
  const res = await exchange(url, request, opts);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EndpointError('malformed', url, res.status, redact(`reply is not JSON: ${clip(text, 120)}`, [opts.apiKey]));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new EndpointError('malformed', url, res.status, `unexpected reply shape at ${at}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** POST a JSON body and parse the reply with `schema` (see requestJson). */
export function postJson<S extends z.ZodType>(url: string, body: unknown, schema: S, opts: PostOptions): Promise<z.infer<S>> {
  return requestJson(url, { method: 'POST', body: JSON.stringify(body), contentType: 'application/json' }, schema, opts);
}

/** The human part of an error body: OpenAI/vLLM put it in `message` or `error.message`. */
function errorDetail(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } | string; detail?: unknown };
    if (typeof j.message === 'string') return j.message;
    if (typeof j.error === 'string') return j.error;
    if (j.error && typeof j.error.message === 'string') return j.error.message;
    if (typeof j.detail === 'string') return j.detail;
  } catch {
    /* not JSON: fall through to the raw text */
  }
  return text;
}

/** Join a base URL and a route without doubling slashes. */
export function joinUrl(base: string, route: string): string {
  return `${base.replace(/\/+$/, '')}/${route.replace(/^\/+/, '')}`;
}

/** vLLM's pooling/tokenize routes live at the server root; accept a base given with `/v1`. */
export function serverRoot(base: string): string {
  return base.replace(/\/+$/, '').replace(/\/v1$/, '');
}
