import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';

/** A response whose text's digest is not known: comparing it with another means reading both texts. */
export const UNKNOWN_DIGEST = -1;

const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const SLASH = 0x2f;

/**
 * A digest of a response's text from the raw bytes of its JSON string (between the
 * quotes), so opening needs no decoding: the CRC-32 of the bytes and their length in one
 * safe integer. Two texts with different digests differ; equal digests must still be
 * confirmed on the texts. That holds only when the bytes are the one way JSON writes that
 * text (what this store writes): with a `\u` or `\/` escape, or bytes that are not UTF-8,
 * another spelling of the same text could exist, so the digest is UNKNOWN_DIGEST.
 */
export function textDigest(raw: Uint8Array): number {
  for (let p = raw.indexOf(BACKSLASH); p >= 0 && p + 1 < raw.length; p = raw.indexOf(BACKSLASH, p + 2)) {
    const next = raw[p + 1];
    if (next === LOWER_U || next === SLASH) return UNKNOWN_DIGEST;
  }
  if (!isUtf8(raw)) return UNKNOWN_DIGEST;
  return crc32(raw) * 0x200000 + (raw.length % 0x200000);
}
