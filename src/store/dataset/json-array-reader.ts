import { fileChunks } from './chunks';

export type ArrayItem =
  | { kind: 'element'; index: number; line: number; bytes: Buffer; length: number; tooLong: boolean }
  /** The array itself is malformed: nothing after this point can be read. */
  | { kind: 'syntax'; line: number; reason: string };

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const COMMA = 0x2c;
const CLOSE = 0x5d;
const OPEN = 0x5b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Streams the elements of a file holding one JSON array, each element's bytes cut out
 * without parsing the whole file, so a large array never sits in memory whole.
 * `start` skips a byte-order mark.
 */
export async function* readArrayElements(path: string, maxElementBytes: number, start = 0): AsyncGenerator<ArrayItem> {
  let line = 1;
  let state = 'open' as 'open' | 'before' | 'in' | 'end';
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elemLine = 0;
  let pieces: Buffer[] = [];
  let length = 0;
  let tooLong = false;

  function finish(): ArrayItem {
    const bytes = tooLong ? Buffer.alloc(0) : Buffer.concat(pieces);
    const item: ArrayItem = { kind: 'element', index, line: elemLine, bytes, length, tooLong };
    pieces = [];
    length = 0;
    tooLong = false;
    return item;
  }

  for await (const chunk of fileChunks(path, 1 << 22, start)) {
    let elemFrom = state === 'in' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (state === 'in') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
          else if (c === 0x0a) line++;
          continue;
        }
        if (c === QUOTE) inString = true;
        else if (c === 0x7b || c === OPEN) depth++;
        else if (c === 0x7d || c === CLOSE) {
          if (depth > 0) depth--;
          else {
            // `]` at depth 0 closes the array after this element.
            add(chunk.subarray(elemFrom, i));
            yield finish();
            state = 'end';
            continue;
          }
        } else if (c === COMMA && depth === 0) {
          add(chunk.subarray(elemFrom, i));
          yield finish();
          state = 'before';
        } else if (c === 0x0a) line++;
        continue;
      }
      if (c === 0x0a) line++;
      if (WS.has(c)) continue;
      if (state === 'open') {
        if (c !== OPEN) return yield { kind: 'syntax', line, reason: 'expected a JSON array starting with [' };
        state = 'before';
      } else if (state === 'before') {
        if (c === CLOSE) {
          if (index > 0) return yield { kind: 'syntax', line, reason: 'trailing comma before ] (not valid JSON)' };
          state = 'end';
          continue;
        }
        if (c === COMMA) return yield { kind: 'syntax', line, reason: `empty element after element ${index}` };
        state = 'in';
        index++;
        elemLine = line;
        depth = 0;
        inString = false;
        escaped = false;
        elemFrom = i;
        i--; // re-read this byte inside the element
      } else {
        return yield { kind: 'syntax', line, reason: 'text after the closing ] of the array' };
      }
    }
    if ((state as string) === 'in') add(chunk.subarray(elemFrom));
  }
  if (state === 'open') return yield { kind: 'syntax', line, reason: 'the file is empty' };
  if (state !== 'end') yield { kind: 'syntax', line, reason: `the array is not closed (file ends inside element ${index})` };

  function add(piece: Buffer): void {
    length += piece.length;
    if (tooLong) return;
    if (length > maxElementBytes) {
      tooLong = true;
      pieces = [];
      return;
    }
    pieces.push(piece);
  }
}
