import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textDigest, UNKNOWN_DIGEST } from '../../../src/store/log/text-digest';

/** The bytes between the quotes of a text as JSON.stringify writes it (as the store does). */
const raw = (text: string) => Buffer.from(JSON.stringify(text).slice(1, -1));

test('a digest is the same for the same text and differs for texts that differ', () => {
  const texts = ['So the answer is \\boxed{42}.', 'So the answer is \\boxed{43}.', 'Line one\n\nline "two"\t∑ x²', '', 'a\\b', 'a\\\\b'];
  for (const t of texts) assert.equal(textDigest(raw(t)), textDigest(raw(t)));
  const digests = texts.map((t) => textDigest(raw(t)));
  assert.equal(new Set(digests).size, texts.length);
  assert.ok(digests.every((d) => Number.isSafeInteger(d) && d >= 0));
});

test('bytes that another spelling of the same text could have give no digest', () => {
  // "\u0041" and "A" are one text written two ways; "\/" and "/" likewise.
  assert.equal(textDigest(Buffer.from('x \\u0041')), UNKNOWN_DIGEST);
  assert.equal(textDigest(Buffer.from('1\\/2')), UNKNOWN_DIGEST);
  // Bytes that are not UTF-8 read back as U+FFFD, whatever they were.
  assert.equal(textDigest(Buffer.from([0x61, 0xff, 0x62])), UNKNOWN_DIGEST);
  // An escaped backslash before a u is the one spelling of that text.
  assert.notEqual(textDigest(raw('\\u is not an escape here')), UNKNOWN_DIGEST);
  // A lone surrogate is written as \ud800 by JSON.stringify: no digest, the text decides.
  assert.equal(textDigest(raw('half \ud800 pair')), UNKNOWN_DIGEST);
});
