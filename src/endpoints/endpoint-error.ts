import { UserError } from '../core/errors';

/** Why a request failed; the engine's retry policy decides from this alone. */
export type FailureKind =
  | 'http' // the server answered with an error status
  | 'timeout' // no answer within the time limit
  | 'connection' // refused, reset, or the body was cut off
  | 'malformed' // the body was not the documented JSON shape
  | 'mismatch' // a well-formed reply that does not fit the request (e.g. score count)
  | 'aborted'; // the caller cancelled

/**
 * A failed request to a model endpoint. The message names the URL and status and never
 * contains a key: every constructor input passes through `redact` first.
 */
export class EndpointError extends UserError {
  constructor(
    readonly kind: FailureKind,
    readonly url: string,
    readonly status: number | null,
    /** What went wrong, without the place (the message is `place: detail`). */
    readonly detail: string,
    /** Milliseconds the server asked us to wait (Retry-After), if it said. */
    readonly retryAfterMs?: number,
  ) {
    super(detail, status === null ? url : `${url} (${status})`);
    this.name = 'EndpointError';
  }
}

/** Replace every occurrence of each secret (and of a Bearer token) with a placeholder. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/(Bearer\s+)[^\s"',}]+/gi, '$1[redacted]');
}

/**
 * What a 3xx reply says. No redirect is followed: a redirect could carry the request (and
 * its key) to a URL nobody approved, so the URL it names is shown for the user to check
 * and put in the settings, where it needs its own approval.
 */
export function redirectDetail(status: number, location: string | null | undefined): string | undefined {
  if (status < 300 || status >= 400) return undefined;
  return `redirected${location ? ` to ${clip(location, 200)}` : ''}; redirects are not followed (if that URL is the right one, put it in the settings, where it needs its own approval)`;
}

/** Parse a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Keep error details short: a server may answer with a whole HTML page. */
export function clip(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** The innermost cause's code or message: "ECONNRESET" says more than "fetch failed". */
export function rootCause(err: unknown): string {
  let e = err as { cause?: unknown; code?: unknown; message?: unknown } | undefined;
  let best = 'unknown';
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') best = e.code;
    else if (typeof e.message === 'string' && e.message) best = e.message;
    e = e.cause as typeof e;
  }
  return best;
}
