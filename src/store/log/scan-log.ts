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

/**
 * Calls `onLine` with each complete line of a JSON-lines log (parsed) and its byte offset
 * and length; `onLine` returns a reason when the record is not valid. A last line without its `\n`, or that does not parse, is torn: it is reported
 * and, with `repair`, cut from the file. A bad line elsewhere means the file was edited:
 * that is an error naming file and line, never skipped silently.
 */
export async function scanLog(
  path: string,
  onLine: (value: unknown, offset: number, length: number, line: number) => string | undefined,
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
      let value: unknown;
      try {
        value = JSON.parse(chunk.toString('utf8', from, nl));
      } catch (err) {
        bad = { line: lineNo, offset: offset + from, length, reason: (err as Error).message };
      }
      if (!bad) {
        const reason = onLine(value, offset + from, length, lineNo);
        if (reason !== undefined) bad = { line: lineNo, offset: offset + from, length, reason };
      }
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
