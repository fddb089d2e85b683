/**
 * The messages between a SamplingThread and its thread (sampling-worker.ts), and the
 * conversions both sides share: an EndpointError as plain data and back, and the outcome
 * of a request cancelled before it was sent (on either side).
 */
import type { PolicyReply, RequestKey, SamplingOptions } from '../sampling-options';
import { EndpointError, redact, type FailureKind } from '../endpoint-error';

/** One request for samples, for the sampler opened under `sampler`; `signal` numbers the caller's signal it is cancelled by. */
export interface SampleCall {
  id: number;
  sampler: number;
  question: string;
  n: number;
  key?: RequestKey;
  signal?: number;
}

/** Messages to the thread: a sampler to create or forget, the requests of one turn of the caller's loop, a signal that fired. */
export type ToSamplingThread =
  | { open: { sampler: number; options: SamplingOptions } }
  | { release: number }
  | { calls: SampleCall[] }
  | { cancel: number };

/** An EndpointError as plain data (a message carries no class). */
export interface SentEndpointError {
  kind: FailureKind;
  url: string;
  status: number | null;
  detail: string;
  retryAfterMs?: number;
}

/** How one request ended: its reply, or its error. */
export interface SampleOutcome {
  id: number;
  reply?: PolicyReply;
  error?: SentEndpointError;
}

/** The outcomes of one turn of the thread's loop, as one message. */
export interface FromSamplingThread {
  outcomes: SampleOutcome[];
}

/** The outcome of a request cancelled before it was sent. */
export function cancelledOutcome(id: number, url: string): SampleOutcome {
  return { id, error: { kind: 'aborted', url, status: null, detail: 'cancelled' } };
}

/** An error as data; anything but an EndpointError (already redacted) is redacted here. */
export function sentError(err: unknown, url: string, apiKey: string | undefined): SentEndpointError {
  if (err instanceof EndpointError) {
    return { kind: err.kind, url: err.url, status: err.status, detail: err.detail, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  }
  return { kind: 'malformed', url, status: null, detail: redact(err instanceof Error ? err.message : String(err), [apiKey]) };
}

/** An outcome's error as the EndpointError the sampler threw on the thread. */
export function endpointErrorOf(outcome: SampleOutcome): EndpointError | undefined {
  const e = outcome.error;
  return e && new EndpointError(e.kind, e.url, e.status, e.detail, e.retryAfterMs);
}
