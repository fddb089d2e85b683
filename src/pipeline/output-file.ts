import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors';
import { asFileError } from '../core/file-errors';
import { entryStat, makeFolder, replaceByRename, type FileContent } from '../store/folder/index';
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
 * Writes an output file the user named, whole or not at all (replaceByRename: a new
 * temporary file beside it, flushed, renamed over it), so a full disk or a crash leaves the
 * old file (or none) and no temporary file. A device or pipe is written into as it is. A
 * file-system error names `path` (not the temporary file) and its cause.
 */
export async function writeOutputFile(path: string, write: FileContent): Promise<void> {
  try {
    if (!(await isStreamTarget(path))) return await replaceByRename(path, write, { flush: true });
    const fh = await open(path, 'w');
    try {
      await (typeof write === 'function' ? write(fh) : fh.writeFile(write));
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw asFileError(err, path);
  }
}
