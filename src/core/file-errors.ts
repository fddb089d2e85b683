import { UserError } from './errors';

/** What the file-system error codes a user can meet mean, for a one-line message. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links in the path',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'input/output error (the device failed)',
  EBUSY: 'the file or device is busy',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'cannot move across file systems',
  ETXTBSY: 'the file is in use by a running program',
};

/** The shape of Node's file-system errors, without depending on Node's types. */
interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

/** True for an error a file-system call raised (a code this module knows, or one with a path). */
export function isFileSystemError(err: unknown): err is SystemError {
  if (!(err instanceof Error)) return false;
  const { code, path } = err as Partial<SystemError>;
  return typeof code === 'string' && (Object.hasOwn(CAUSES, code) || typeof path === 'string');
}

/** `no space left on the device (ENOSPC)`: the cause in words and the code to search for. */
export function fileErrorCause(err: SystemError): string {
  const words = Object.hasOwn(CAUSES, err.code) ? CAUSES[err.code] : err.message.replace(/^[A-Z]+: /, '');
  return `${words} (${err.code})`;
}

/** One line naming the path (the given one, else the error's own) and the cause. */
export function fileErrorLine(err: SystemError, path = err.path): string {
  return path ? `${path}: ${fileErrorCause(err)}` : fileErrorCause(err);
}

/**
 * A file-system error turned into a UserError naming `path` (the file the user named, not a
 * temporary file beside it); any other error is returned as it is.
 */
export function asFileError(err: unknown, path: string): unknown {
  return isFileSystemError(err) ? new UserError(fileErrorCause(err), path) : err;
}
