import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors';
import { asFileError } from '../core/file-errors';
import { besideName, entryStat, makeFolder, openRegular } from '../store/folder/index';
import { PROJECT_FILES } from '../store/project-files';

/**
 * True when `path` is a device, a pipe or a socket (`/dev/null`, `/dev/stdout`, a FIFO):
 * such a target is written into, never replaced, so it needs no --force.
 */
async function isStreamTarget(path: string): Promise<boolean> {
  const s = await stat(path).catch(() => null);
  return s !== null && !s.isFile() && !s.isDirectory();
}

/** True when something that writing `path` would replace is there (a file or a folder). */
export async function wouldReplace(path: string): Promise<boolean> {
  const s = await stat(path).catch(() => null);
  return s !== null && (s.isFile() || s.isDirectory());
}

/** Stops before anything is written when one of `paths` would replace a file and `force` is off. */
export async function refuseOverwrite(paths: readonly string[], force: boolean | undefined): Promise<void> {
  if (force) return;
  for (const path of paths) if (await wouldReplace(path)) throw new UserError('already exists; pass --force to replace it', path);
}

/**
 * Creates the folder an output file goes into. A file in the way is named as such (mkdir
 * itself only says EEXIST).
 */
export async function makeFolderFor(path: string): Promise<void> {
  const folder = dirname(path);
  // A run folder's own exports/ (the default place) must be a real folder: a received run may have planted a link there.
  if (await entryStat(join(dirname(folder), PROJECT_FILES.settings))) return makeFolder(folder);
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    const e = err as { code?: string; path?: string };
    if (e.code === 'EEXIST' && e.path) throw new UserError('is a file, not a folder (ENOTDIR)', e.path);
    throw asFileError(err, dirname(path));
  }
}

/**
 * Writes an output file the user named, whole or not at all: into a new temporary file
 * beside it (made exclusively, never through a link), flushed, then renamed over it, so a full disk or a crash leaves the old file (or none)
 * and no temporary file. A device or pipe is written into as it is. A file-system error
 * names `path` (not the temporary file) and its cause.
 */
export async function writeOutputFile(path: string, write: string | Uint8Array | ((fh: FileHandle) => Promise<void>)): Promise<void> {
  const fill = typeof write === 'function' ? write : (fh: FileHandle) => fh.writeFile(write);
  try {
    if (await isStreamTarget(path)) {
      const fh = await open(path, 'w');
      try {
        await fill(fh);
      } finally {
        await fh.close();
      }
      return;
    }
    // Made exclusively under a name nobody can guess: a link planted beside the target cannot redirect it.
    const tmp = besideName(path);
    const fh = await openRegular(tmp, 'create');
    try {
      await fill(fh);
      await fh.sync();
      await fh.close();
      await rename(tmp, path);
    } catch (err) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw err;
    }
  } catch (err) {
    throw asFileError(err, path);
  }
}
