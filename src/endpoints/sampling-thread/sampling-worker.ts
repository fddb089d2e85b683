/**
 * The sampling thread of a SamplingThread: the policy endpoints' clients (the openai SDK,
 * the HTTP exchange, reading the replies) run here, so the thread that writes the logs (the
 * CLI's event loop, the extension host's) only passes one small message per request and
 * reply. Each request is a PolicySampler call, exactly as it would run on the caller's
 * thread; its samples or its EndpointError go back under the request's number.
 */
import { parentPort } from 'node:worker_threads';
import { PolicySampler, type RequestKey, type SampleBatch, type SamplingOptions } from '../policy-sampler';
import { EndpointError, type FailureKind } from '../endpoint-error';

/** One request for samples, for the sampler opened under `sampler`. */
export interface SampleCall {
  id: number;
  sampler: number;
  question: string;
  n: number;
  key?: RequestKey;
}

/** Messages to the thread: a sampler to create or forget, the requests of one turn of the caller's loop, a request to cancel. */
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

/** How one request ended, and whether its sampler still believes the server honours `n` > 1. */
export interface SampleOutcome {
  id: number;
  supportsN: boolean;
  batch?: SampleBatch;
  error?: SentEndpointError;
}

/** The outcomes of one turn of this thread's loop, as one message. */
export interface FromSamplingThread {
  outcomes: SampleOutcome[];
}

const samplers = new Map<number, PolicySampler>();
const inFlight = new Map<number, AbortController>();
let outbox: SampleOutcome[] = [];

function reply(outcome: SampleOutcome): void {
  // Replies arrive in bursts: the outcomes of one turn go as one message, not one each.
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(outcome);
}

function flush(): void {
  const outcomes = outbox;
  outbox = [];
  parentPort!.postMessage({ outcomes } satisfies FromSamplingThread);
}

function sent(err: unknown, url: string): SentEndpointError {
  if (err instanceof EndpointError) {
    return { kind: err.kind, url: err.url, status: err.status, detail: err.detail, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) };
  }
  return { kind: 'malformed', url, status: null, detail: err instanceof Error ? err.message : String(err) };
}

async function run(call: SampleCall): Promise<void> {
  const sampler = samplers.get(call.sampler);
  if (!sampler) return reply({ id: call.id, supportsN: true, error: { kind: 'malformed', url: '', status: null, detail: `no sampler ${call.sampler} on the sampling thread` } });
  const controller = new AbortController();
  inFlight.set(call.id, controller);
  try {
    const batch = await sampler.sample(call.question, call.n, controller.signal, call.key);
    reply({ id: call.id, supportsN: sampler.supportsN, batch });
  } catch (err) {
    reply({ id: call.id, supportsN: sampler.supportsN, error: sent(err, sampler.url) });
  } finally {
    inFlight.delete(call.id);
  }
}

parentPort?.on('message', (m: ToSamplingThread) => {
  if ('calls' in m) for (const call of m.calls) void run(call);
  else if ('cancel' in m) inFlight.get(m.cancel)?.abort();
  else if ('release' in m) samplers.delete(m.release);
  else samplers.set(m.open.sampler, new PolicySampler(m.open.options));
});
