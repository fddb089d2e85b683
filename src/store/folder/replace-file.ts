import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { entryStat, NotRegularFile, kindOf, openRegular } from './open-regular';

/** Flushes a directory entry (a rename or a new file) to disk; not all platforms allow it. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a directory for syncing; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

/**
 * A name beside `path` nobody can guess (so no link can be planted there in advance),
 * ending in `.tmp` so the git files of a run folder ignore it.
 */
export function besideName(path: string, tag = 'tmp'): string {
  return `${path}.${randomBytes(12).toString('hex')}.${tag}`;
}

/**
 * Makes a new file with `data`: refused when anything (a file, a link, even a dangling one)
 * is already at `path`, so it never writes through a link.
 */
export async function createExclusive(path: string, data: string | Uint8Array, options: { mode?: number; flush?: boolean } = {}): Promise<void> {
  const fh = await openRegular(path, 'create', options.mode !== undefined ? { mode: options.mode } : {});
  try {
    await fh.writeFile(data);
    if (options.flush) await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(path).catch(() => {});
    throw err;
  }
  await fh.close();
}

/** What a file is filled with: its bytes, or a function that writes them (a long export, streamed). */
export type FileContent = string | Uint8Array | ((fh: FileHandle) => Promise<void>);

/** A new file only: never an existing one, never through a link (missing on Windows, where O_EXCL stands alone). */
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Fills a new file of an unguessable name beside `path` (made exclusively, so no link planted
 * in advance can redirect it), optionally flushed, then renames it over `path`; on any
 * failure the temporary file is removed. Errors are the file system's own, for the caller to
 * name its target in.
 */
export async function replaceByRename(path: string, content: FileContent, options: { mode?: number; flush: boolean }): Promise<void> {
  const tmp = besideName(path);
  const fh = await open(tmp, NEW_FILE, options.mode ?? 0o666);
  try {
    await (typeof content === 'function' ? content(fh) : fh.writeFile(content));
    if (options.flush) await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Replaces a file of a run folder so that a crash leaves either the old or the new content,
 * never a mix (replaceByRename). Something at `path` that is not a regular file (a link, a
 * folder) is refused rather than replaced. `flush: false` skips the two disk flushes, for a
 * file that is checked when read and ignored when damaged (a power cut may then leave it
 * empty or cut, never mixed with another).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; flush?: boolean } = {}): Promise<void> {
  const flush = options.flush ?? true;
  const present = await entryStat(path);
  if (present && !present.isFile()) throw new NotRegularFile(path, kindOf(present));
  await replaceByRename(path, data, { ...(options.mode !== undefined ? { mode: options.mode } : {}), flush });
  if (flush) await fsyncDir(dirname(path));
}

/** Cuts a regular file of the folder to `size` bytes (a torn last line), never through a link. */
export async function truncateRegular(path: string, size: number): Promise<void> {
  const fh = await openRegular(path, 'update');
  try {
    await fh.truncate(size);
  } finally {
    await fh.close();
  }
}
