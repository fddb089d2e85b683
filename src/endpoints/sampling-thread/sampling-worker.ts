/**
 * The sampling thread of a SamplingThread: the policy endpoints' requests (the openai SDK
 * and the HTTP exchange) run here, so the thread that writes the logs (the CLI's event
 * loop, the extension host's) only passes one small message per request and reply. Each
 * request is a PolicyRequests call, exactly as it would run on the caller's thread; its
 * reply's bytes (moved, not copied) or its EndpointError go back under the request's number.
 */
import { parentPort } from 'node:worker_threads';
import { PolicyRequests } from '../policy-request';
import { cancelledOutcome, sentError, type FromSamplingThread, type SampleCall, type SampleOutcome, type ToSamplingThread } from './sampling-messages';

const samplers = new Map<number, PolicyRequests>();
/** One controller per caller's signal with requests in flight (a run's requests share one signal). */
const signals = new Map<number, { controller: AbortController; requests: number }>();
let outbox: SampleOutcome[] = [];
let moved: ArrayBuffer[] = [];

function reply(outcome: SampleOutcome): void {
  // Replies arrive in bursts: the outcomes of one turn go as one message, not one each.
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(outcome);
  if (outcome.reply) moved.push(outcome.reply.bytes.buffer as ArrayBuffer);
}

function flush(): void {
  const outcomes = outbox;
  const buffers = moved;
  outbox = [];
  moved = [];
  // Each reply's bytes are its own ArrayBuffer (see PolicyRequests), so they move without a copy.
  parentPort!.postMessage({ outcomes } satisfies FromSamplingThread, buffers);
}

async function run(call: SampleCall): Promise<void> {
  const requests = samplers.get(call.sampler);
  if (!requests) return reply({ id: call.id, error: { kind: 'malformed', url: '', status: null, detail: `no sampler ${call.sampler} on the sampling thread` } });
  let watched: { controller: AbortController; requests: number } | undefined;
  if (call.signal !== undefined) {
    watched = signals.get(call.signal);
    if (!watched) signals.set(call.signal, (watched = { controller: new AbortController(), requests: 0 }));
    watched.requests++;
  }
  try {
    reply({ id: call.id, reply: await requests.send(call.question, call.n, watched?.controller.signal, call.key) });
  } catch (err) {
    reply({ id: call.id, error: sentError(err, requests.url, requests.apiKey) });
  } finally {
    if (watched && --watched.requests === 0 && signals.get(call.signal!) === watched) signals.delete(call.signal!);
  }
}

/** Calls received and not started yet: `queued[next]` onwards. */
let queued: SampleCall[] = [];
let next = 0;
/** A turn that starts the next slice is scheduled. */
let starting = false;
const SLICE = 32;

/**
 * Starts the queued calls a slice at a time. Building and sending a request takes a few
 * hundred microseconds while the code is cold: a run's first calls (hundreds at once)
 * started in one turn would all wait for its end to leave, a slice at a time they leave
 * while the next slice is built.
 */
function startQueued(): void {
  starting = false;
  const end = Math.min(queued.length, next + SLICE);
  const slice = queued.slice(next, end);
  next = end;
  if (next < queued.length) {
    starting = true;
    setImmediate(startQueued);
  } else {
    queued = [];
    next = 0;
  }
  for (const call of slice) void run(call);
}

function enqueue(calls: SampleCall[]): void {
  if (next === queued.length) {
    queued = calls;
    next = 0;
  } else for (const c of calls) queued.push(c);
  if (!starting) startQueued();
}

/** A caller's signal fired: its requests on the wire are cut, those not started end as cancelled. */
function cancel(signal: number): void {
  signals.get(signal)?.controller.abort();
  const waiting = queued.slice(next);
  if (!waiting.some((c) => c.signal === signal)) return;
  for (const c of waiting) if (c.signal === signal) reply(cancelledOutcome(c.id, samplers.get(c.sampler)?.url ?? ''));
  queued = waiting.filter((c) => c.signal !== signal);
  next = 0;
}

parentPort?.on('message', (m: ToSamplingThread) => {
  if ('calls' in m) enqueue(m.calls);
  else if ('cancel' in m) cancel(m.cancel);
  else if ('release' in m) samplers.delete(m.release);
  else samplers.set(m.open.sampler, new PolicyRequests(m.open.options));
});
