import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { UserError } from '../core/errors';
import { besideName, createExclusive, linkIfAbsent, moveEntry, readBounded, removeEntry } from './folder/index';

export const LOCK_FILE = '.lock';
/** A lock holds one short JSON line. */
const LOCK_MAX_BYTES = 4096;

/** The lock's text; null when there is none. A lock that is a link, a folder or too large is refused, naming it. */
async function readLock(path: string): Promise<string | null> {
  return (await readBounded(path, { maxBytes: LOCK_MAX_BYTES }))?.toString('utf8') ?? null;
}

export interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && typeof v.host === 'string') {
      return { pid: v.pid, host: v.host, since: String(v.since ?? '') };
    }
  } catch {
    // unreadable: treated as stale below
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is held by a live process: the one failure worth waiting out. */
export class LockHeld extends UserError {
  constructor(message: string, where: string) {
    super(message, where);
    this.name = 'LockHeld';
  }
}

/** The lock of a project folder, held by one writer at a time. */
export class ProjectLock {
  private constructor(
    private readonly path: string,
    /** Set when a stale lock was taken over: the user should hear about it. */
    readonly warning: string | undefined,
  ) {}

  /**
   * Takes the lock of `dir`. A lock held by a live process is refused with its PID; a lock
   * left by a dead process (same host) is taken over with a warning.
   */
  static async acquire(dir: string): Promise<ProjectLock> {
    return ProjectLock.acquireFile(join(dir, LOCK_FILE));
  }

  /** The same lock on any file, e.g. one author's events file (`events/<author>.lock`). */
  static async acquireFile(path: string): Promise<ProjectLock> {
    const me: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    // The lock appears complete or not at all: written aside (under a name nobody can plant
    // a link at), then hard-linked into place; link() never follows a link at `path`.
    const tmp = besideName(path);
    await createExclusive(tmp, JSON.stringify(me) + '\n');
    try {
      let warning: string | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await linkIfAbsent(tmp, path)) return new ProjectLock(path, warning);
        const holderText = await readLock(path);
        if (holderText === null) continue; // released meanwhile: try again
        const holder = parseLock(holderText);
        if (holder && (holder.host !== me.host || isAlive(holder.pid))) {
          const where = holder.host === me.host ? '' : ` on host ${holder.host}`;
          throw new LockHeld(
            `the project is open for writing by process ${holder.pid}${where} (since ${holder.since}); close it there first, or delete ${basename(path)} if that process is gone`,
            path,
          );
        }
        // Stale: move it aside and check that it is still the one judged dead.
        const aside = besideName(path, 'stale');
        if (!(await moveEntry(path, aside).catch(() => false))) continue;
        const movedText = await readLock(aside).catch(() => '');
        if (movedText !== holderText) {
          // Another process replaced the stale lock in between: put its lock back.
          await linkIfAbsent(aside, path).catch(() => {});
          await removeEntry(aside).catch(() => {});
          continue;
        }
        await removeEntry(aside).catch(() => {});
        warning = holder
          ? `took over the lock left by process ${holder.pid} (no longer running) since ${holder.since}`
          : 'took over an unreadable lock file';
      }
      throw new LockHeld('could not take the lock (it keeps changing); is another process opening this project?', path);
    } finally {
      await removeEntry(tmp).catch(() => {});
    }
  }

  /** Who holds the lock of `dir` now, if anyone; `alive` is false for a stale lock. */
  static async holder(dir: string): Promise<(LockInfo & { alive: boolean }) | null> {
    const text = await readLock(join(dir, LOCK_FILE));
    if (text === null) return null;
    const info = parseLock(text);
    if (!info) return { pid: 0, host: '', since: '', alive: false };
    return { ...info, alive: info.host !== hostname() || isAlive(info.pid) };
  }

  async release(): Promise<void> {
    const text = await readLock(this.path).catch(() => null);
    if (text !== null && parseLock(text)?.pid === process.pid) await removeEntry(this.path).catch(() => {});
  }
}
