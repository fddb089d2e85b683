import { constants, fstatSync, lstatSync, openSync, closeSync, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { UserError } from '../../core/errors';

/**
 * A run folder travels between annotators through git, so any of its entries may be a
 * link to a file elsewhere, a device, a FIFO or a folder where a file belongs. Every file
 * the store opens goes through here: reached without following a link (lstat, then
 * O_NOFOLLOW), and checked again on the opened descriptor (fstat), so nothing is read
 * from or written to outside the folder and nothing endless is read.
 */

/** Missing on Windows, where the lstat check stands alone. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Opening a FIFO for reading would wait for a writer: this makes it return, to be refused. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** What opening is for: reading; appending (made when missing); reading and writing (truncating a torn tail); making a new file. */
export type OpenFor = 'read' | 'append' | 'update' | 'create';

const FLAGS: Record<OpenFor, number> = {
  read: constants.O_RDONLY,
  append: constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
  update: constants.O_RDWR,
  create: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
};

/** What an entry is, in words, for messages. */
export function kindOf(s: Stats): string {
  if (s.isFile()) return 'regular file';
  if (s.isSymbolicLink()) return 'symbolic link';
  if (s.isDirectory()) return 'folder';
  if (s.isFIFO()) return 'FIFO (named pipe)';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  return 'special file';
}

/** A file of a run folder that is not a regular file: refused, naming the path and what it is. */
export class NotRegularFile extends UserError {
  constructor(
    readonly path: string,
    readonly kind: string,
    rule = "a run folder's files must be regular files",
  ) {
    super(`${path} is a ${kind}; ${rule}`);
    this.name = 'NotRegularFile';
  }
}

/** The errors of opening that the user can act on, as a message naming the path; others unchanged. */
export function openError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'EMLINK') return new NotRegularFile(path, 'symbolic link');
  if (code === 'EISDIR') return new NotRegularFile(path, 'folder');
  if (code === 'ENOTDIR') return new UserError(`${path}: a part of this path is a file where a folder belongs`);
  if (code === 'ENAMETOOLONG') return new UserError(`${path}: the file name is too long for this file system`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new UserError(`${path}: cannot be opened (${code})`);
  return err;
}

const refuse = (path: string, s: Stats, follow: boolean) =>
  new NotRegularFile(path, kindOf(s), follow ? 'only a regular file can be read here' : undefined);

/**
 * Opens a regular file; ENOENT is thrown as it is (callers decide what a missing file
 * means). `follow: true` is for files the user named outside any run folder (a dataset):
 * links are followed, but the file reached must still be a regular file.
 */
export async function openRegular(path: string, how: OpenFor, opts: { follow?: boolean; mode?: number } = {}): Promise<FileHandle> {
  const follow = opts.follow ?? false;
  if (!follow) {
    const s = await lstat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && how !== 'read' && how !== 'update') return null;
      throw openError(err, path);
    });
    if (s && !s.isFile()) throw refuse(path, s, follow);
  }
  let fh: FileHandle;
  try {
    fh = await open(path, FLAGS[how] | NONBLOCK | (follow ? 0 : NOFOLLOW), opts.mode ?? 0o666);
  } catch (err) {
    throw openError(err, path);
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw refuse(path, s, follow);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}

/** openRegular for synchronous readers (a response's text, small settings files); a descriptor to close. */
export function openRegularSync(path: string, opts: { follow?: boolean } = {}): number {
  const follow = opts.follow ?? false;
  let fd: number;
  try {
    if (!follow) {
      const s = lstatSync(path);
      if (!s.isFile()) throw refuse(path, s, follow);
    }
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | (follow ? 0 : NOFOLLOW));
  } catch (err) {
    throw err instanceof UserError ? err : openError(err, path);
  }
  const s = fstatSync(fd);
  if (!s.isFile()) {
    closeSync(fd);
    throw refuse(path, s, follow);
  }
  return fd;
}

/** What is at `path`, without following a link; null when nothing is. */
export async function entryStat(path: string): Promise<Stats | null> {
  return lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw openError(err, path);
  });
}

/** The size of a regular file of the folder, 0 when it is missing; anything else is refused. */
export async function regularSize(path: string): Promise<number> {
  const s = await entryStat(path);
  if (!s) return 0;
  if (!s.isFile()) throw refuse(path, s, false);
  return s.size;
}
