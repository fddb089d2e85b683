import { fileChunks } from './chunks';

/** One line of a file, without its `\n`. */
export interface RawLine {
  /** 1-based. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** The line's bytes (empty when `tooLong`). */
  bytes: Buffer;
  /** Length in bytes, counted even when the bytes were not kept. */
  length: number;
  /** False for a last line with no `\n` after it. */
  terminated: boolean;
  /** The line exceeded `maxLineBytes`; its bytes were skipped, never buffered. */
  tooLong: boolean;
}

export interface LineReaderOptions {
  maxLineBytes?: number;
  chunkBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Streams the lines of a file. Memory stays bounded by one chunk plus one line of at most
 * `maxLineBytes`: a longer line is measured and skipped, not buffered.
 */
export async function* readLines(path: string, opts: LineReaderOptions = {}): AsyncGenerator<RawLine> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let lineNo = 1;
  let lineStart = 0; // file offset of the current line
  let carry: Buffer[] = []; // pieces of the current line from earlier chunks
  let carried = 0;
  let skipping = false; // the current line is already longer than max
  for await (const chunk of fileChunks(path, opts.chunkBytes)) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      const end = nl < 0 ? chunk.length : nl;
      const piece = end - from;
      if (!skipping && carried + piece > max) {
        skipping = true;
        carry = [];
      }
      if (nl < 0) {
        if (!skipping && piece > 0) carry.push(chunk.subarray(from, end));
        carried += piece;
        break;
      }
      const length = carried + piece;
      let bytes: Buffer;
      if (skipping) bytes = Buffer.alloc(0);
      else if (carry.length === 0) bytes = chunk.subarray(from, end);
      else bytes = Buffer.concat([...carry, chunk.subarray(from, end)]);
      yield { line: lineNo, offset: lineStart, bytes, length, terminated: true, tooLong: skipping };
      lineNo++;
      lineStart += length + 1;
      carry = [];
      carried = 0;
      skipping = false;
      from = nl + 1;
    }
  }
  if (carried > 0) {
    const bytes = skipping ? Buffer.alloc(0) : Buffer.concat(carry);
    yield { line: lineNo, offset: lineStart, bytes, length: carried, terminated: false, tooLong: skipping };
  }
}
