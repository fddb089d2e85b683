import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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
 * Replaces a file so that a crash leaves either the old or the new content, never a mix.
 * `flush: false` skips the two disk flushes, for a file that is checked when read and
 * ignored when damaged (a power cut may then leave it empty or cut, never mixed with another).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; flush?: boolean } = {}): Promise<void> {
  const flush = options.flush ?? true;
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', options.mode);
  try {
    await fh.writeFile(data);
    if (flush) await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  if (flush) await fsyncDir(dirname(path));
}
