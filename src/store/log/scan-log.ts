import type { FileHandle } from 'node:fs/promises';
import { UserError } from '../../core/errors';
import { openRegular, truncateRegular } from '../folder/index';

/** Bytes read per step: large reads keep the syscalls few on a million-line log. */
const CHUNK_BYTES = 1 << 23;

/** A last line cut short by a crash: dropped, and reported. */
export interface TornLine {
  file: string;
  line: number;
  bytes: number;
}

export interface ScanResult {
  /** Length of the valid content, in bytes. */
  size: number;
  lines: number;
  torn: TornLine | null;
}

/** A line's bytes are `buf[start, end)`; returns why the record is invalid, or undefined. */
export type LineHandler = (buf: Buffer, start: number, end: number, offset: number, line: number) => string | undefined;

/** A LineHandler for lines that are parsed whole. */
export function jsonLines(onValue: (value: unknown, offset: number, length: number) => string | undefined): LineHandler {
  return (buf, start, end, offset) => {
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', start, end));
    } catch (err) {
      return (err as Error).message;
    }
    return onValue(value, offset, end - start + 1);
  };
}

/**
 * Calls `onLine` with each complete line of a JSON-lines log and its byte offset; `onLine`
 * says when a record is invalid. A last line without its `\n`, or invalid, is torn: it is
 * reported and, with `repair`, cut from the file. An invalid line elsewhere means the file
 * was edited: that is an error naming file and line, never skipped silently.
 */
export async function scanLog(
  path: string,
  onLine: LineHandler,
  opts: { repair: boolean; from?: { offset: number; line: number } },
): Promise<ScanResult> {
  let fh: FileHandle;
  try {
    fh = await openRegular(path, 'read');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, lines: 0, torn: null };
    throw err;
  }

  // Reading may resume after a prefix already read (a checkpoint, a followed log): offsets and line numbers continue from it.
  let lineNo = opts.from?.line ?? 0;
  let offset = opts.from?.offset ?? 0; // file offset of `carry`'s first byte
  let carry: Buffer | null = null;
  // A line that failed to parse; an error unless it turns out to be the last.
  let bad: { line: number; offset: number; length: number; reason: string } | null = null;
  const fail = (b: NonNullable<typeof bad>): never => {
    throw new UserError(`unreadable record (${b.reason}); the file was changed outside HS-STaR Curator`, `${path}:${b.line}`);
  };

  try {
    for (;;) {
      // Each chunk is a fresh buffer (handlers may keep slices of it) that starts with the
      // unfinished line of the one before: only that line is copied, not the whole chunk.
      const kept: number = carry?.length ?? 0;
      const chunk = Buffer.allocUnsafe(kept + CHUNK_BYTES);
      if (carry) carry.copy(chunk, 0);
      const { bytesRead } = await fh.read(chunk, kept, CHUNK_BYTES, offset + kept);
      if (bytesRead === 0) break;
      const filled: number = kept + bytesRead;
      const data = filled < chunk.length ? chunk.subarray(0, filled) : chunk;
      let from = 0;
      for (;;) {
        const nl = data.indexOf(10, from);
        if (nl < 0) break;
        lineNo++;
        if (bad) fail(bad);
        const length = nl - from + 1;
        const reason = onLine(data, from, nl, offset + from, lineNo);
        if (reason !== undefined) bad = { line: lineNo, offset: offset + from, length, reason };
        from = nl + 1;
      }
      carry = from < filled ? data.subarray(from) : null;
      offset += from;
    }
  } finally {
    await fh.close();
  }

  let torn: TornLine | null = null;
  let size = offset;
  if (carry) torn = { file: path, line: lineNo + 1, bytes: carry.length };
  if (bad) {
    if (torn) fail(bad);
    torn = { file: path, line: bad.line, bytes: bad.length };
    size = bad.offset;
    lineNo--;
  }
  if (torn && opts.repair) await truncateRegular(path, size);
  return { size, lines: lineNo, torn };
}
