import type { z } from 'zod';
import { httpFetch, isTimeout } from './http-fetch';
import { EndpointError, clip, parseRetryAfter, redact, rootCause } from './endpoint-error';
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

/**
 * POST a JSON body and parse the reply with `schema`. Every failure becomes an
 * EndpointError naming the URL (and status), with the key redacted.
 */
export async function postJson<S extends z.ZodType>(
  url: string,
  body: unknown,
  schema: S,
  opts: PostOptions,
): Promise<z.infer<S>> {
  const secrets = [opts.apiKey];
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;

  const failed = (err: unknown): EndpointError => {
    if (opts.signal?.aborted) return new EndpointError('aborted', url, null, 'cancelled');
    if (isTimeout(err)) return new EndpointError('timeout', url, null, `no reply within ${opts.timeoutMs} ms`);
    return new EndpointError('connection', url, null, redact(`connection failed: ${rootCause(err)}`, secrets));
  };

  let res: Response;
  try {
    // The caller's signal is shared by every request of a run: given as `cancel`, it is
    // listened to once, not once per request; the time limit is a plain timer.
    res = await httpFetch(url, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: opts.timeoutMs, ...(opts.signal ? { cancel: opts.signal } : {}) });
  } catch (err) {
    throw failed(err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw failed(err);
  }
  if (!res.ok) {
    throw new EndpointError(
      'http',
      url,
      res.status,
      redact(clip(errorDetail(text) || res.statusText), secrets),
      parseRetryAfter(res.headers.get('retry-after')),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EndpointError('malformed', url, res.status, redact(`reply is not JSON: ${clip(text, 120)}`, secrets));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new EndpointError('malformed', url, res.status, `unexpected reply shape at ${at}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
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
