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

/** Replaces a file so that a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}
