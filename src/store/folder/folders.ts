import { link, mkdir, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import { entryStat, kindOf, NotRegularFile } from './open-regular';

const FOLDER_RULE = "a run folder's folders must be real folders, not links";

/** Refuses anything at `path` that is not a real folder (a link to one included). */
async function realFolder(path: string): Promise<boolean> {
  const s = await entryStat(path);
  if (!s) return false;
  if (!s.isDirectory()) throw new NotRegularFile(path, kindOf(s), FOLDER_RULE);
  return true;
}

/** Makes a folder inside a run folder unless it is there; a file or link in its place is refused. */
export async function makeFolder(path: string): Promise<void> {
  if (await realFolder(path)) return;
  try {
    await mkdir(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await realFolder(path);
  }
}

/** The names in a folder inside a run folder; none when it is missing; a file or link in its place is refused. */
export async function listFolder(path: string): Promise<string[]> {
  if (!(await realFolder(path))) return [];
  return readdir(path);
}

/**
 * Makes the run folder the user named, with its parents, and lists what it holds. The
 * folder itself may be reached through a link of the user's (a run on another disk);
 * what is made inside it never is.
 */
export async function makeRunFolder(path: string): Promise<string[]> {
  await mkdir(path, { recursive: true });
  return readdir(path);
}

/** Removes a file or an empty folder of the run folder; a link is removed itself, never what it points at. Missing is fine. */
export async function removeEntry(path: string): Promise<void> {
  const s = await entryStat(path);
  if (!s) return;
  await (s.isDirectory() ? rmdir(path) : unlink(path));
}

/** True when `op` succeeds, false when it fails with `code`; any other failure is thrown. */
async function succeedsUnless(code: string, op: () => Promise<void>): Promise<boolean> {
  try {
    await op();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === code) return false;
    throw err;
  }
}

/** Renames an entry (a link is moved itself, never followed); false when it is gone. */
export function moveEntry(from: string, to: string): Promise<boolean> {
  return succeedsUnless('ENOENT', () => rename(from, to));
}

/**
 * Puts a hard link to `existing` at `path` only if nothing is there: false when something
 * is (a link included, which is never followed).
 */
export function linkIfAbsent(existing: string, path: string): Promise<boolean> {
  return succeedsUnless('EEXIST', () => link(existing, path));
}
