import type { EndpointError } from '../../endpoints/endpoint-error';

export interface RetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff; doubles each attempt. */
  baseMs: number;
  /** Backoff ceiling. */
  maxMs: number;
  /** A Retry-After longer than this is cut to it (a server asking for an hour is not obeyed blindly). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * Whether a failure is worth another attempt: rate limits, server errors, timeouts, cut
 * connections and garbled replies are; other 4xx (bad key, unknown model, bad request)
 * and replies that do not fit the request (a setup mistake) are not, and cancellation never.
 */
export function isRetryable(err: EndpointError): boolean {
  switch (err.kind) {
    case 'timeout':
    case 'connection':
    case 'malformed':
      return true;
    case 'http':
      return err.status === 408 || err.status === 429 || (err.status !== null && err.status >= 500);
    default:
      return false;
  }
}

/**
 * Milliseconds to wait before attempt `attempt + 1`, or undefined to give up. Honours
 * Retry-After; otherwise exponential backoff with "equal jitter" (half fixed, half random),
 * so that many clients hit by the same blip do not come back in lockstep.
 */
export function retryDelay(
  err: EndpointError,
  attempt: number,
  opts: RetryOptions = DEFAULT_RETRY,
  random: () => number = Math.random,
): number | undefined {
  if (!isRetryable(err) || attempt >= opts.maxAttempts) return undefined;
  if (err.retryAfterMs !== undefined) {
    const wait = Math.min(err.retryAfterMs, opts.maxRetryAfterMs);
    return wait + random() * Math.min(wait * 0.1, 1000);
  }
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
