import { closeSync, fstatSync, readSync } from 'node:fs';
import { UserError } from '../../core/errors';
import { openRegular, openRegularSync } from './open-regular';

/**
 * Small files read whole (settings, assignments, guidelines, locks) are bounded before
 * they are read: the size is taken from the opened descriptor, and reading stops at the
 * cap even if the file grows meanwhile.
 */
export interface BoundedRead {
  /** The most bytes read. */
  maxBytes: number;
  /** `refuse` (default): a larger file is an error naming it; `cut`: its first maxBytes are returned. */
  over?: 'refuse' | 'cut';
  /** Follow links (a file the user named outside any run folder). */
  follow?: boolean;
}

function tooLarge(path: string, size: number, max: number): UserError {
  return new UserError(`${path} is ${size} bytes; at most ${max} are read from this file`);
}

/** The file's bytes (at most maxBytes), or undefined when there is no such file. */
export async function readBounded(path: string, o: BoundedRead): Promise<Buffer | undefined> {
  let fh;
  try {
    fh = await openRegular(path, 'read', { follow: o.follow ?? false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    if (size > o.maxBytes && o.over !== 'cut') throw tooLarge(path, size, o.maxBytes);
    const buf = Buffer.alloc(Math.min(size, o.maxBytes));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** readBounded for synchronous readers. */
export function readBoundedSync(path: string, o: BoundedRead): Buffer | undefined {
  let fd: number;
  try {
    fd = openRegularSync(path, { follow: o.follow ?? false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > o.maxBytes && o.over !== 'cut') throw tooLarge(path, size, o.maxBytes);
    const buf = Buffer.alloc(Math.min(size, o.maxBytes));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
