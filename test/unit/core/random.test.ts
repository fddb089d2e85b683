import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedRandom, seededRandom, shuffled } from '../../../src/core/random';

test('the same seed gives the same sequence, another seed another one', () => {
  const a = seededRandom(1234);
  const b = seededRandom(1234);
  const c = seededRandom(1235);
  const sa = [a(), a(), a()];
  assert.deepEqual(sa, [b(), b(), b()]);
  assert.notDeepEqual(sa, [c(), c(), c()]);
  for (const x of sa) assert.ok(x >= 0 && x < 1);
});

test('draws are spread over [0, 1)', () => {
  const r = seededRandom(7);
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 10_000; i++) buckets[Math.floor(r() * 10)]++;
  for (const n of buckets) assert.ok(n > 850 && n < 1150, `bucket ${n}`);
});

test('shuffle is a permutation, reproducible, and leaves its input alone', () => {
  const items = [1, 2, 3, 4, 5, 6, 7, 8];
  const s1 = shuffled(items, seededRandom(1234));
  const s2 = shuffled(items, seededRandom(1234));
  assert.deepEqual(s1, s2);
  assert.deepEqual([...s1].sort(), items);
  assert.notDeepEqual(s1, items);
  assert.deepEqual(items, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('derived streams differ by key', () => {
  assert.notEqual(derivedRandom(1234, 'p1')(), derivedRandom(1234, 'p2')());
  assert.equal(derivedRandom(1234, 'p1')(), derivedRandom(1234, 'p1')());
});
