import { open, truncate } from 'node:fs/promises';
import { UserError } from '../../core/errors';
import { fileChunks } from '../dataset/chunks';

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
  opts: { repair: boolean },
): Promise<ScanResult> {
  let exists = true;
  await open(path, 'r').then((fh) => fh.close(), () => (exists = false));
  if (!exists) return { size: 0, lines: 0, torn: null };

  let lineNo = 0;
  let offset = 0; // file offset of `carry`'s first byte
  let carry: Buffer | null = null;
  // A line that failed to parse; an error unless it turns out to be the last.
  let bad: { line: number; offset: number; length: number; reason: string } | null = null;
  const fail = (b: NonNullable<typeof bad>): never => {
    throw new UserError(`unreadable record (${b.reason}); the file was changed outside HS-STaR Curator`, `${path}:${b.line}`);
  };

  for await (const chunk0 of fileChunks(path, 1 << 23)) {
    const chunk: Buffer = carry ? Buffer.concat([carry, chunk0]) : chunk0;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      lineNo++;
      if (bad) fail(bad);
      const length = nl - from + 1;
      const reason = onLine(chunk, from, nl, offset + from, lineNo);
      if (reason !== undefined) bad = { line: lineNo, offset: offset + from, length, reason };
      from = nl + 1;
    }
    carry = from < chunk.length ? chunk.subarray(from) : null;
    offset += from;
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
  if (torn && opts.repair) await truncate(path, size);
  return { size, lines: lineNo, torn };
}
