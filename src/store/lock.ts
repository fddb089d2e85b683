import { hostname } from 'node:os';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../core/errors';

export const LOCK_FILE = '.lock';

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
    // The lock appears complete or not at all: written aside, then hard-linked into place.
    const tmp = `${path}.${process.pid}.${Date.now()}`;
    await writeFile(tmp, JSON.stringify(me) + '\n');
    try {
      let warning: string | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(tmp, path);
          return new ProjectLock(path, warning);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const holderText = await readFile(path, 'utf8').catch(() => null);
        if (holderText === null) continue; // released meanwhile: try again
        const holder = parseLock(holderText);
        if (holder && (holder.host !== me.host || isAlive(holder.pid))) {
          const where = holder.host === me.host ? '' : ` on host ${holder.host}`;
          throw new UserError(
            `the project is open for writing by process ${holder.pid}${where} (since ${holder.since}); close it there first, or delete ${basename(path)} if that process is gone`,
            path,
          );
        }
        // Stale: move it aside and check that it is still the one judged dead.
        const aside = `${path}.stale.${process.pid}`;
        try {
          await rename(path, aside);
        } catch {
          continue;
        }
        const movedText = await readFile(aside, 'utf8').catch(() => '');
        if (movedText !== holderText) {
          // Another process replaced the stale lock in between: put its lock back.
          await link(aside, path).catch(() => {});
          await unlink(aside).catch(() => {});
          continue;
        }
        await unlink(aside).catch(() => {});
        warning = holder
          ? `took over the lock left by process ${holder.pid} (no longer running) since ${holder.since}`
          : 'took over an unreadable lock file';
      }
      throw new UserError('could not take the lock (it keeps changing); is another process opening this project?', path);
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }

  /** Who holds the lock of `dir` now, if anyone; `alive` is false for a stale lock. */
  static async holder(dir: string): Promise<(LockInfo & { alive: boolean }) | null> {
    const text = await readFile(join(dir, LOCK_FILE), 'utf8').catch(() => null);
    if (text === null) return null;
    const info = parseLock(text);
    if (!info) return { pid: 0, host: '', since: '', alive: false };
    return { ...info, alive: info.host !== hostname() || isAlive(info.pid) };
  }

  async release(): Promise<void> {
    const text = await readFile(this.path, 'utf8').catch(() => null);
    if (text !== null && parseLock(text)?.pid === process.pid) await unlink(this.path).catch(() => {});
  }
}
