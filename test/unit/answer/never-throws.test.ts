import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractAnswer, gradeResponse, isEquivalent, normaliseAnswer } from '../../../src/core/answer/index';

const FRAGMENTS = [
  '\\boxed{', '\\fbox', '}', '{', '\\frac', '\\dfrac', '\\sqrt', '[', ']', '(', ')', '\\left(', '\\right]', '^', '_', '\\pi',
  'e', 'i', 'x', '=', ',', '{,}', '\\,', '\\!', '\\text{', 'cm', '\\%', '%', '$', '\\$', '^\\circ', '.', '-', '+', '\\cdot',
  '\\times', '10^{', '\\begin{pmatrix}', '&', '\\\\', '\\end{pmatrix}', '\\{', '\\}', '\\cup', '\\infty', '####', '(A)',
  '\\lfloor', '\\rfloor', '\\sin', '!', '\\binom', '0', '1', '7', '12345678901234567890', '0.5', '.5', '1e400', 'The answer is',
  '\\mbox{', '\\pm', '|', '\\', ' ', '\n',
];
const latex = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((a) => a.join(''));
const anyString = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), latex);

test('no grader entry point throws on any string', () => {
  fc.assert(
    fc.property(anyString, anyString, fc.constantFrom(undefined, 'gsm8k', 'math'), (a, b, dataName) => {
      const opts = dataName === undefined ? {} : { dataName };
      assert.equal(typeof isEquivalent(a, b, { timeoutMs: 200 }), 'boolean');
      assert.equal(typeof normaliseAnswer(a), 'string');
      const e = extractAnswer(a, opts);
      assert.ok(e.extracted === null || typeof e.extracted === 'string');
      const g = gradeResponse(a, b, { ...opts, timeoutMs: 200 });
      assert.equal(typeof g.correct, 'boolean');
    }),
    { numRuns: 1500, seed: 20261126 },
  );
});

test('equivalence is reflexive on random LaTeX that normalises to something', () => {
  fc.assert(
    fc.property(latex, (a) => normaliseAnswer(a) === '' || isEquivalent(a, a, { timeoutMs: 200 })),
    { numRuns: 500, seed: 7 },
  );
});

test('the symbolic engine path does not throw or hang on random LaTeX either', () => {
  // A full bound lets the engine load and run on whatever the cheaper stages cannot decide.
  const short = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
  fc.assert(
    fc.property(short, short, (a, b) => {
      const start = performance.now();
      assert.equal(typeof isEquivalent(a, b), 'boolean');
      assert.ok(performance.now() - start < 5000);
    }),
    { numRuns: 150, seed: 99 },
  );
});
