import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GradeRecord } from '../../core/schema/index';
import { workerScript } from '../../endpoints/worker-script';
import type { GradeItem, GradeReply, GradeRequest, GradeTask } from './grade-worker';

export type { GradeItem } from './grade-worker';

/** Worker threads by default: one per core but the one the event loop keeps, at least one. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Task {
  resolve: (grades: GradeRecord[]) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
  /** Calls of this turn of the event loop, not yet sent. */
  outbox: GradeTask[];
}

/**
 * Grades responses on worker threads, so the event loop only sends requests, receives
 * replies and writes the logs. Each call's grades come back in the order of its items,
 * whichever thread graded them, and the grader is a pure function: results are the same as
 * grading inline. Threads start on first use; an idle thread does not keep the process
 * alive, a busy one does (its result is awaited). `close` lets work in hand finish first.
 */
export class GradePool {
  private readonly slots: (Slot | null)[];
  private seq = 0;
  /** Every grading call not yet settled, so close can let them finish. */
  private readonly inHand = new Set<Promise<GradeRecord[]>>();
  private closing: Promise<void> | null = null;

  constructor(readonly size = defaultPoolSize()) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => null);
  }

  /** Grades `items` (one request's responses, or a batch of older ones); never rejects for a bad answer. */
  grade(items: readonly GradeItem[]): Promise<GradeRecord[]> {
    if (this.closing) return Promise.reject(new Error('the grading pool is closed'));
    if (items.length === 0) return Promise.resolve([]);
    const slot = this.leastBusy();
    const seq = ++this.seq;
    const graded = new Promise<GradeRecord[]>((resolve, reject) => {
      if (slot.tasks.size === 0) slot.worker.ref();
      slot.tasks.set(seq, { resolve, reject });
      // Only what grading reads crosses to the thread (a message is a copy of what it holds).
      const sent: GradeItem[] = items.map(({ problem, response }) => ({
        problem: problem.dataName === undefined ? { answer: problem.answer } : { answer: problem.answer, dataName: problem.dataName },
        response: { id: response.id, text: response.text },
      }));
      // Replies arrive in bursts (a group commit resolves many appends at once): the calls of
      // one turn go as one message, not one each.
      if (slot.outbox.length === 0) setImmediate(() => this.send(slot));
      slot.outbox.push({ seq, items: sent });
    });
    this.inHand.add(graded);
    const settle = () => void this.inHand.delete(graded);
    graded.then(settle, settle);
    return graded;
  }

  /** Grading requests not yet answered, over all threads. */
  get pending(): number {
    return this.slots.reduce((a, s) => a + (s?.tasks.size ?? 0), 0);
  }

  /** Waits for the grading in hand, then stops the threads. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inHand]);
      await Promise.all(this.slots.map((s) => s?.worker.terminate()));
      this.slots.fill(null);
    })();
    return this.closing;
  }

  private send(slot: Slot): void {
    const tasks = slot.outbox;
    slot.outbox = [];
    // A thread that died meanwhile has already rejected these calls.
    if (tasks.length > 0 && this.slots.includes(slot)) slot.worker.postMessage({ tasks } satisfies GradeRequest);
  }

  private leastBusy(): Slot {
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s) return (this.slots[i] = this.start(i));
      if (best < 0 || s.tasks.size < this.slots[best]!.tasks.size) best = i;
    }
    return this.slots[best]!;
  }

  private start(index: number): Slot {
    const worker = new Worker(workerScript('pipeline/grading/grade-worker', 'grading worker'));
    const slot: Slot = { worker, tasks: new Map(), outbox: [] };
    worker.unref();
    worker.on('message', (m: GradeReply) => {
      for (const { seq, grades } of m.results) {
        const task = slot.tasks.get(seq);
        if (!task) continue;
        slot.tasks.delete(seq);
        task.resolve(grades);
      }
      if (slot.tasks.size === 0) worker.unref();
    });
    // A thread that dies takes its work with it: its callers hear why, the next call starts a new one.
    const fail = (err: unknown) => {
      if (this.slots[index] === slot) this.slots[index] = null;
      for (const t of slot.tasks.values()) t.reject(err);
      slot.tasks.clear();
      slot.outbox = [];
    };
    worker.on('error', (err) => fail(new Error(`grading thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`grading thread exited (code ${code})`)));
    return slot;
  }
}

let shared: GradePool | null = null;

/** The process's pool, shared by every run in it (the CLI's, the extension host's). */
export function sharedGradePool(): GradePool {
  return (shared ??= new GradePool());
}

/** Stops the shared pool (the CLI at exit, the extension on deactivate); the next use starts a new one. */
export async function closeSharedGradePool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
