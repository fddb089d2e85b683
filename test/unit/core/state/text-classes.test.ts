import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textClasses } from '../../../../src/core/state/text-classes';
import type { Response } from '../../../../src/core/schema/index';

/** Responses whose texts count their reads, as the store's lazily read texts cost a disk read each. */
function responses(texts: string[]): { list: Response[]; reads: () => number } {
  let reads = 0;
  const list = texts.map((text, slot) => {
    const r = { id: `p:${slot}`, problemId: 'p', slot, stage: 'pre', finishReason: 'stop', usage: { prompt: 1, completion: 1 }, model: 'm', latencyMs: 1, at: 'now', round: 0 } as Omit<Response, 'text'>;
    return Object.defineProperty(r, 'text', { get: () => (reads++, text), enumerable: true }) as Response;
  });
  return { list, reads: () => reads };
}

/** The classes of the responses' texts (their texts compared when the digests cannot tell). */
const textKeys = (list: Response[], digestOf: (i: number) => number | undefined) => textClasses(list.length, digestOf, (i, j) => list[i]!.text === list[j]!.text);

const sameKeysIffSameTexts = (texts: string[], keys: number[]) => {
  for (let i = 0; i < texts.length; i++) for (let j = 0; j < texts.length; j++) assert.equal(keys[i] === keys[j], texts[i] === texts[j], `${i} vs ${j}`);
};

test('two responses share a class exactly when their texts are equal, whatever the digests say', () => {
  const texts = ['a', 'b', 'a', 'c', 'b', 'a'];
  const { list } = responses(texts);
  sameKeysIffSameTexts(texts, textKeys(list, () => undefined)); // no digest: texts decide
  sameKeysIffSameTexts(texts, textKeys(list, () => 7)); // every digest equal (a collision): texts decide
  const honest = { a: 1, b: 2, c: 3 } as Record<string, number>;
  sameKeysIffSameTexts(texts, textKeys(list, (i) => (i === 2 ? undefined : honest[texts[i]!]))); // one unknown
});

test('texts are read only where digests cannot tell responses apart', () => {
  const distinct = responses(['a', 'b', 'c', 'd']);
  textKeys(distinct.list, (i) => i);
  assert.equal(distinct.reads(), 0, 'different digests: no text read');
  const twins = responses(['a', 'b', 'a', 'c']);
  const keys = textKeys(twins.list, (i) => [1, 2, 1, 3][i]);
  assert.equal(keys[0], keys[2]);
  assert.equal(twins.reads(), 2, 'only the pair with equal digests is compared');
});
