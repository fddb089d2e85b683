import type { ResponseRecord } from '../../core/schema/records';
import { textDigest } from './text-digest';

/**
 * The bytes of responses.jsonl lines: written with `text` as the last field, so opening
 * can index a response without parsing (or copying) its text, and the text's digest is
 * taken from the bytes where they lie.
 */

/** Responses are written with their text last, so opening can skip over the text. */
const TEXT_KEY = Buffer.from(',"text":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

/** Byte index of the quote closing the JSON string whose content starts at `from`, or -1. */
function closingQuote(buf: Buffer, from: number, end: number): number {
  for (let p = from; ; ) {
    const q = buf.indexOf(QUOTE, p);
    if (q < 0 || q >= end) return -1;
    let slashes = 0;
    while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
    p = q + 1;
  }
}

/** Where a response line's text is (its JSON string between the quotes), when it is the last field; else null. */
function textSpan(buf: Buffer, start: number, end: number): { key: number; from: number; to: number } | null {
  const k = buf.subarray(start, end).indexOf(TEXT_KEY);
  if (k < 0) return null;
  const from = start + k + TEXT_KEY.length;
  const q = closingQuote(buf, from, end);
  if (q !== end - 2 || buf[end - 1] !== CLOSE_BRACE) return null;
  return { key: start + k, from, to: q };
}

/** A response line as JSON with its text left out, and its text's digest; null when the text is not the last field. */
export function responseWithoutText(buf: Buffer, start: number, end: number): { json: string; digest: number } | null {
  const span = textSpan(buf, start, end);
  if (!span) return null;
  return { json: buf.toString('utf8', start, span.key) + ',"text":""}', digest: textDigest(buf.subarray(span.from, span.to)) };
}

/** Response lines encoded into one buffer, with each line's byte length and its text's digest. */
export interface EncodedLines {
  bytes: Buffer;
  lengths: number[];
  digests: number[];
}

/**
 * The lines `JSON.stringify({ ...rest, text }) + '\n'` of the records, the text last, written
 * straight into one buffer: the text's JSON string is encoded once and its bytes digested
 * where they lie, rather than building each line, copying it to a buffer, joining the
 * buffers and searching each line again for its text.
 */
export function encodeResponseLines(rs: readonly ResponseRecord[]): EncodedLines {
  const heads: string[] = [];
  const texts: string[] = [];
  let total = 0;
  for (const r of rs) {
    const { text, ...rest } = r;
    // `{"kind":…,"round":0}` becomes `{"kind":…,"round":0,"text":`: rest always has keys.
    const head = JSON.stringify(rest).slice(0, -1) + ',"text":';
    const json = JSON.stringify(text);
    heads.push(head);
    texts.push(json);
    total += Buffer.byteLength(head) + Buffer.byteLength(json) + 2;
  }
  const bytes = Buffer.allocUnsafe(total);
  const lengths: number[] = [];
  const digests: number[] = [];
  let at = 0;
  for (let i = 0; i < rs.length; i++) {
    const start = at;
    at += bytes.write(heads[i]!, at);
    const from = at;
    at += bytes.write(texts[i]!, at);
    digests.push(textDigest(bytes.subarray(from + 1, at - 1)));
    bytes[at++] = CLOSE_BRACE;
    bytes[at++] = NEWLINE;
    lengths.push(at - start);
  }
  return { bytes, lengths, digests };
}
