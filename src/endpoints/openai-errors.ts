import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { EndpointError, clip, parseRetryAfter, redact, redirectDetail, rootCause } from './endpoint-error';

/**
 * Turn whatever the openai SDK threw into an EndpointError. The SDK's own messages may
 * include the reply body, which an echoing server can fill with request headers, so the
 * message is rebuilt from parts and redacted.
 */
export function fromSdkError(err: unknown, url: string, apiKey: string | undefined, signal?: AbortSignal): EndpointError {
  if (err instanceof EndpointError) return err;
  const secrets = [apiKey];
  if (err instanceof APIUserAbortError || signal?.aborted) return new EndpointError('aborted', url, null, 'cancelled');
  if (err instanceof APIConnectionTimeoutError) return new EndpointError('timeout', url, null, 'no reply in time');
  if (err instanceof APIConnectionError) {
    return new EndpointError('connection', url, null, redact(`connection failed: ${rootCause(err)}`, secrets));
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const body = err.error as { message?: unknown } | undefined;
    const detail = redirectDetail(err.status, err.headers?.get('location')) ?? clip(typeof body?.message === 'string' ? body.message : 'request failed');
    return new EndpointError('http', url, err.status, redact(detail, secrets), parseRetryAfter(err.headers?.get('retry-after')));
  }
  if (err instanceof SyntaxError) return new EndpointError('malformed', url, 200, 'reply is not valid JSON');
  // undici reports a body cut short as a TypeError("terminated").
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TypeError) return new EndpointError('connection', url, null, redact(`connection failed: ${clip(message, 120)}`, secrets));
  return new EndpointError('malformed', url, null, redact(clip(message, 200), secrets));
}

