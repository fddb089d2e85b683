import { Worker } from 'node:worker_threads';
import { samplingUrl, type RequestKey, type SamplingOptions } from '../sampling-options';
import { workerScript } from '../worker-script';
import { cancelledOutcome, type FromSamplingThread, type SampleCall, type SampleOutcome, type ToSamplingThread } from './sampling-messages';

interface Pending {
  resolve: (outcome: SampleOutcome) => void;
  reject: (err: unknown) => void;
  call: SampleCall;
  /** The URL the request goes to, for the error of one cancelled before it left. */
  url: string;
  signal?: AbortSignal;
}

/**
 * The requests in hand under one caller's signal (a run's requests share one): one
 * listener per signal, however many requests share it, and one controller for them all on
 * the thread, known there by `no`.
 */
interface Watched {
  no: number;
  ids: Set<number>;
  onAbort: () => void;
}

/**
 * One worker thread that runs the policy samplers' requests (see sampling-worker.ts). The
 * requests of one turn of the event loop go as one message, and so do the outcomes. The
 * thread starts when the first sampler is opened, keeps the process alive only while it
 * has requests in hand, and is started again (its samplers opened again) if it dies; the
 * requests it had then fail with the reason, to be retried by the engine's rules or
 * bought by a resumed run.
 */
export class SamplingThread {
  private worker: Worker | null = null;
  /** The samplers opened, by number, with the URL they post to: opened again on a thread started after one died. */
  private readonly samplers = new Map<number, { options: SamplingOptions; url: string }>();
  private readonly pending = new Map<number, Pending>();
  private readonly watched = new Map<AbortSignal, Watched>();
  private outbox: SampleCall[] = [];
  private nextId = 0;
  private nextSampler = 0;
  private nextSignal = 0;
  private closed = false;

  /**
   * Opens a sampler with these options on the thread and returns its number. The thread
   * starts now, so that loading the SDK there overlaps the caller's own start.
   */
  open(options: SamplingOptions): number {
    if (this.closed) throw new Error('the sampling thread is closed');
    const sampler = ++this.nextSampler;
    this.samplers.set(sampler, { options, url: samplingUrl(options) });
    this.start().postMessage({ open: { sampler, options } } satisfies ToSamplingThread);
    return sampler;
  }

  /**
   * Starts the thread before any sampler is opened, so that its script loads while the
   * caller still loads its own (the CLI's entry does this for a run that samples).
   */
  warm(): void {
    if (!this.closed) this.start();
  }

  /** Forgets a sampler nobody holds any more (see thread-transport.ts). */
  release(sampler: number): void {
    if (!this.samplers.delete(sampler)) return;
    this.worker?.postMessage({ release: sampler } satisfies ToSamplingThread);
  }

  /** One request of an opened sampler; resolves with its outcome, rejects only if the thread fails. */
  call(sampler: number, question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleOutcome> {
    if (this.closed) return Promise.reject(new Error('the sampling thread is closed'));
    const url = this.samplers.get(sampler)?.url;
    if (url === undefined) return Promise.reject(new Error(`sampler ${sampler} is not open on the sampling thread`));
    const worker = this.start();
    const id = ++this.nextId;
    // Cancelled before it left: it ends here, as a request cancelled before sending would.
    if (signal?.aborted) return Promise.resolve(cancelledOutcome(id, url));
    const call: SampleCall = { id, sampler, question, n, ...(key ? { key } : {}), ...(signal ? { signal: this.watch(signal, id) } : {}) };
    return new Promise<SampleOutcome>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject, call, url, ...(signal ? { signal } : {}) });
      // Sent once the callbacks now running are done: the calls that this turn's replies
      // lead to leave together, before the writes of those replies begin (see runRequests).
      if (this.outbox.length === 0) process.nextTick(() => this.send());
      this.outbox.push(call);
    });
  }

  /** Requests not yet answered. */
  get inHand(): number {
    return this.pending.size;
  }

  /** Stops the thread; requests still in hand fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the sampling thread was closed'));
    await worker?.terminate();
  }

  private failAll(err: Error): void {
    const lost = [...this.pending.values()];
    this.pending.clear();
    this.outbox = [];
    for (const p of lost) {
      this.unwatch(p);
      p.reject(err);
    }
  }

  /** Watches `signal` for request `id`; returns the signal's number on the thread. */
  private watch(signal: AbortSignal, id: number): number {
    let w = this.watched.get(signal);
    if (!w) {
      const watched: Watched = { no: ++this.nextSignal, ids: new Set(), onAbort: () => this.cancel(signal, watched) };
      this.watched.set(signal, (w = watched));
      signal.addEventListener('abort', watched.onAbort, { once: true });
    }
    w.ids.add(id);
    return w.no;
  }

  private unwatch(p: Pending): void {
    if (!p.signal) return;
    const w = this.watched.get(p.signal);
    if (!w) return;
    w.ids.delete(p.call.id);
    if (w.ids.size > 0) return;
    this.watched.delete(p.signal);
    p.signal.removeEventListener('abort', w.onAbort);
  }

  /** The signal fired: requests not sent yet end here, those on the thread are cut there. */
  private cancel(signal: AbortSignal, w: Watched): void {
    this.watched.delete(signal);
    const unsent = this.outbox.filter((c) => w.ids.has(c.id));
    if (unsent.length > 0) this.outbox = this.outbox.filter((c) => !w.ids.has(c.id));
    if (unsent.length < w.ids.size) this.worker?.postMessage({ cancel: w.no } satisfies ToSamplingThread);
    for (const c of unsent) this.settle(c.id, cancelledOutcome(c.id, this.pending.get(c.id)!.url));
  }

  private send(): void {
    const calls = this.outbox;
    this.outbox = [];
    if (calls.length > 0) this.worker?.postMessage({ calls } satisfies ToSamplingThread);
  }

  private settle(id: number, outcome: SampleOutcome): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.unwatch(p);
    if (this.pending.size === 0) this.worker?.unref();
    p.resolve(outcome);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript('endpoints/sampling-thread/sampling-worker', 'sampling worker'));
    this.worker = worker;
    for (const [sampler, { options }] of this.samplers) worker.postMessage({ open: { sampler, options } } satisfies ToSamplingThread);
    worker.on('message', (m: FromSamplingThread) => {
      for (const outcome of m.outcomes) this.settle(outcome.id, outcome);
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(err);
    };
    worker.on('error', (err) => fail(new Error(`sampling thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`sampling thread exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the thread's port again.
    worker.unref();
    return worker;
  }
}

let shared: SamplingThread | null = null;

/** The process's sampling thread, shared by every sampler in it (the CLI's, the extension host's). */
export function sharedSamplingThread(): SamplingThread {
  return (shared ??= new SamplingThread());
}

/** Stops the shared thread (the CLI at exit, the extension on deactivate); the next use starts a new one. */
export async function closeSharedSamplingThread(): Promise<void> {
  const thread = shared;
  shared = null;
  await thread?.close();
}
