import type { TokenUsage } from '../../core/schema/response';
import { EndpointError, redact } from '../../endpoints/endpoint-error';
import { Circuit } from './circuit';
import { addUsage, emptyProgress, type Prices, type Progress } from './progress';
import { ReplicaSet } from './replicas';
import { DEFAULT_RETRY, isRetryable, retryDelay, type RetryOptions } from './retry-policy';

export interface RunRequestsOptions<J, C extends { url: string }, R> {
  /** The work still missing (a resumed run passes only what is not on disk yet). Read lazily. */
  jobs: Iterable<J>;
  /** One client per base URL of the endpoint. */
  replicas: readonly C[];
  /** Requests on the wire at once, over all replicas. */
  concurrency: number;
  /** One request for one job on one replica. */
  call: (job: J, replica: C, signal: AbortSignal) => Promise<R>;
  /**
   * Where results go (the project store). A result counts as done only once this resolved,
   * so a crash or cancel never loses a paid response that was reported done.
   */
  onResult: (job: J, result: R) => Promise<void>;
  /** Work a result left undone (e.g. fewer samples than asked for); it is queued again. */
  remainder?: (job: J, result: R) => J | undefined;
  /** Units (responses, scores) in a result and what it cost in tokens. Default: 1 unit, no tokens. */
  measure?: (result: R) => { units: number; usage?: TokenUsage };
  /** Units a job stands for, counted as failed when it fails. Default 1. */
  unitsOf?: (job: J) => number;
  /** A job given up on: record it (e.g. a FailureRecord) so status can report it. */
  onFailure?: (job: J, error: EndpointError) => void | Promise<void>;
  signal?: AbortSignal;
  /** On cancel: let requests on the wire finish and be written (default), or abort them. */
  onCancel?: 'finish' | 'abort';
  /**
   * Fired after `signal` (a deliberate second Ctrl-C): cuts the requests on the wire then;
   * what already came back is still written.
   */
  cut?: AbortSignal;
  retry?: Partial<RetryOptions>;
  /** Failed requests in a row that pause the run (default 25). */
  circuitThreshold?: number;
  /** How long a failing replica is avoided while others are healthy (default 2000 ms). */
  replicaCooldownMs?: number;
  prices?: Prices;
  onProgress?: (progress: Progress) => void;
  /** Retry and pause notices, one line each, with secrets redacted. */
  log?: (line: string) => void;
  /** Values that must never reach a log line or message (API keys). */
  secrets?: readonly string[];
}

export interface RunSummary {
  /** completed: every job done or failed; cancelled: the signal fired; paused: the circuit opened. */
  status: 'completed' | 'cancelled' | 'paused';
  /** Why the run paused. */
  reason?: string;
  progress: Progress;
}

/**
 * Drive one endpoint: bounded concurrency, retries with backoff, a circuit, replicas,
 * cancellation and progress. Throws only if the sink fails (nothing can be counted then).
 */
export async function runRequests<J, C extends { url: string }, R>(o: RunRequestsOptions<J, C, R>): Promise<RunSummary> {
  const retry = { ...DEFAULT_RETRY, ...o.retry };
  const circuit = new Circuit(o.circuitThreshold ?? 25);
  const replicas = new ReplicaSet(o.replicas, o.replicaCooldownMs ?? 2000);
  const progress = emptyProgress();
  const secrets = o.secrets ?? [];
  const log = (line: string) => o.log?.(redact(line, secrets));
  // At most one snapshot per turn of the event loop: a burst of replies is one progress event, not one each.
  let emitQueued = false;
  const sendProgress = () => {
    if (!emitQueued) return;
    emitQueued = false;
    o.onProgress!({ ...progress });
  };
  const emit = o.onProgress
    ? () => {
        if (emitQueued) return;
        emitQueued = true;
        setImmediate(sendProgress);
      }
    : () => {};
  const measure: (result: R) => { units: number; usage?: TokenUsage } = o.measure ?? (() => ({ units: 1 }));
  const unitsOf = o.unitsOf ?? (() => 1);

  // Aborting `wire` cuts requests in flight; `o.signal` only stops new ones unless asked,
  // `o.cut` cuts them when it fires.
  const wire = new AbortController();
  const cutBy = o.onCancel === 'abort' ? o.signal : o.cut;
  const onAbort = () => wire.abort();
  if (cutBy?.aborted) wire.abort();
  cutBy?.addEventListener('abort', onAbort);
  let sinkError: unknown;
  const stopped = () => o.signal?.aborted === true || circuit.open || sinkError !== undefined;
  const iterator = o.jobs[Symbol.iterator]();

  const nextJob = (): J | undefined => {
    if (stopped()) return undefined;
    const n = iterator.next();
    return n.done ? undefined : n.value;
  };

  /** One job to the end: attempts, backoff between them, sink, remainder. */
  const runJob = async (first: J): Promise<void> => {
    let job: J | undefined = first;
    let attempt = 0;
    while (job !== undefined) {
      if (o.signal?.aborted || circuit.open || sinkError !== undefined) return;
      attempt++;
      const r = replicas.acquire();
      const replica = replicas.get(r);
      progress.inFlight++;
      emit();
      let result: R;
      try {
        result = await o.call(job, replica, wire.signal);
      } catch (raw) {
        progress.inFlight--;
        const err = asEndpointError(raw, replica.url, secrets);
        replicas.release(r, !(err.kind === 'connection' || err.kind === 'timeout' || (err.status ?? 0) >= 500));
        if (err.kind === 'aborted' || o.signal?.aborted) return emit();
        const opened = circuit.failure(err);
        if (opened) log(opened);
        const wait = opened ? undefined : retryDelay(err, attempt, retry);
        if (wait === undefined) {
          if (opened && isRetryable(err)) return emit(); // left for the resumed run, not failed
          progress.failed += unitsOf(job);
          log(`failed after ${attempt} attempt(s): ${err.message}`);
          await o.onFailure?.(job, err);
          return emit();
        }
        progress.retried++;
        log(`retry ${attempt + 1}/${retry.maxAttempts} in ${(wait / 1000).toFixed(1)} s: ${err.message}`);
        emit();
        if (!(await sleep(wait, o.signal))) return;
        continue;
      }
      progress.inFlight--;
      replicas.release(r, true);
      circuit.success();
      write(job, result);
      // The request slot is free again while the result is written (and graded): the
      // server is kept busy. Writes waiting are bounded, so memory is too.
      if (writing.size >= writeLimit) await new Promise<void>((resolve) => roomWaiters.push(resolve));
      job = o.remainder?.(job, result);
      attempt = 0;
    }
  };

  /** Hands a result to the sink; it counts once the sink resolved. */
  const writing = new Set<Promise<void>>();
  const writeLimit = Math.max(1, o.concurrency);
  const roomWaiters: (() => void)[] = [];
  const settled = (written: Promise<void>) => {
    writing.delete(written);
    roomWaiters.shift()?.();
  };
  const write = (job: J, result: R) => {
    const m = measure(result);
    // The sink starts in the next check phase: the requests this turn's results free room
    // for are sent first, so writing (and grading) is not in the way of the next request.
    const sunk = new Promise<void>((resolve) => setImmediate(resolve)).then(() => o.onResult(job, result));
    const written: Promise<void> = sunk.then(
      () => {
        settled(written);
        progress.done += m.units;
        if (m.usage) addUsage(progress, m.usage, o.prices);
        emit();
      },
      (e: unknown) => {
        settled(written);
        sinkError ??= e;
        emit();
      },
    );
    writing.add(written);
  };

  const worker = async () => {
    for (let job = nextJob(); job !== undefined; job = nextJob()) await runJob(job);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    while (writing.size > 0) await Promise.all(writing);
  } finally {
    cutBy?.removeEventListener('abort', onAbort);
    sendProgress(); // the last snapshot goes out before the caller hears the run ended
  }
  if (sinkError !== undefined) throw sinkError;
  const status = circuit.open ? 'paused' : o.signal?.aborted ? 'cancelled' : 'completed';
  return { status, ...(circuit.reason ? { reason: circuit.reason } : {}), progress: { ...progress } };
}

function asEndpointError(raw: unknown, url: string, secrets: readonly string[]): EndpointError {
  if (raw instanceof EndpointError) return raw;
  const message = raw instanceof Error ? raw.message : String(raw);
  return new EndpointError('malformed', url, null, redact(message, secrets));
}

/** Resolves true after `ms`, or false at once when the signal fires. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort);
  });
}
