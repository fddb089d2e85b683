import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnswer, gradeResponse, isEquivalent } from '../../../src/core/answer/index';
import { gradeOptions, pathologicalCases } from '../../fixtures/answer/pathological';

/**
 * Far above what any case takes (the bench prints each: the slowest is tens of ms), far below
 * what a quadratic search takes on them ("The final answer" + 100,000 spaces took 16 s).
 */
const GENEROUS_MS = 2_000;

test('every hostile response is graded in bounded time, and never throws', () => {
  // Some cases reach the symbolic engine: its one-time load (seconds on a loaded machine) is paid here.
  assert.equal(isEquivalent('(1+i)^2', '2i'), true);
  for (const c of pathologicalCases()) {
    const start = performance.now();
    const g = gradeResponse(c.response, c.gt, gradeOptions(c));
    const ms = performance.now() - start;
    assert.equal(typeof g.correct, 'boolean', c.name);
    assert.ok(ms < GENEROUS_MS, `${c.name}: ${ms.toFixed(0)} ms`);
  }
});

test('hostile responses still yield the answer they hold', () => {
  const byName = new Map(pathologicalCases().map((c) => [c.name, c]));
  const graded = (name: string) => gradeResponse(byName.get(name)!.response, byName.get(name)!.gt);
  assert.deepEqual(graded('repeated "The final answer is "'), { extracted: '7', method: 'phrase', correct: true });
  assert.deepEqual(graded('1 MB of LaTeX ending in a box'), { extracted: '5', method: 'box', correct: true });
  assert.deepEqual(graded('nested braces 10,000 deep in a box'), { extracted: '{'.repeat(10_000) + '5' + '}'.repeat(10_000), method: 'box', correct: false });
  assert.equal(graded('"the answer is" + spaces + a word').extracted, 'x');
});

test('extraction stops at its deadline, between stages, and says so', () => {
  // The answer is only found by the last stage (the last number), after four scans of 190,000 characters.
  const text = '1.'.repeat(95_000) + ' so 7';
  assert.deepEqual(extractAnswer(text), { extracted: '7', method: 'last-number' });
  assert.deepEqual(extractAnswer(text, { deadline: performance.now() - 1 }), { extracted: null, method: 'none', timedOut: true });
  assert.deepEqual(gradeResponse(text, '7'), { extracted: '7', method: 'last-number', correct: true });
  assert.deepEqual(gradeResponse(text, '7', { timeoutMs: 0.001 }), { extracted: null, method: 'none', correct: false, timedOut: true });
});

test('a many-part comparison stops at its budget of part comparisons', () => {
  // 64 expressions against the same 64 written the other way round: in the same order 64
  // comparisons, in reverse order 2,080, past the 256 allowed.
  const list = (order: (j: number) => number, write: (k: number) => string) => Array.from({ length: 64 }, (_, j) => write(order(j))).join(',');
  const pred = `\\boxed{${list((j) => j, (k) => `x^{${k}}+${k}`)}}`;
  assert.equal(gradeResponse(pred, list((j) => j, (k) => `${k}+x^{${k}}`)).correct, true);
  assert.equal(gradeResponse(pred, list((j) => 63 - j, (k) => `${k}+x^{${k}}`)).correct, false);
  // A short list in another order is still the same answer.
  assert.equal(gradeResponse('\\boxed{x+1, 2x, x^2}', 'x^2, 1+x, 2x').correct, true);
});
