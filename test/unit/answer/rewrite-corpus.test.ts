import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRewriteCorpus } from '../../fixtures/answer/rewrite-corpus';
import { isEquivalent } from '../../../src/core/answer/index';

/** Categories the corpus must cover: every normalisation and every equivalence rule of the grader. */
const REQUIRED = [
  // normalisation
  'left-right', 'dfrac', 'text-unit', 'degrees', 'percent-sign', 'dollar', 'trailing-period', 'thousands',
  'assignment', 'spaces', 'thin-space', 'mixed-number', 'leading-zero', 'scientific', 'gsm8k-tail', 'choice-letter',
  // equivalence
  'exact', 'integer-exact', 'integer-decimal-form', 'relative-tolerance', 'percent-fraction', 'percent-missing',
  'fraction-near-miss', 'symbolic', 'tuple', 'interval', 'set', 'matrix', 'equation', 'pi', 'sqrt', 'euler-e',
  'imaginary-i', 'pathological',
];

const corpus = buildRewriteCorpus();

test('the rewrite corpus has ≥ 1,500 pairs, covers every category, with equal and near-miss pairs', () => {
  assert.ok(corpus.length >= 1500, `${corpus.length} pairs`);
  const cats = new Set(corpus.map((p) => p.category));
  for (const c of REQUIRED) assert.ok(cats.has(c), `category ${c} missing`);
  assert.ok(corpus.some((p) => p.equal) && corpus.some((p) => !p.equal));
  for (const c of ['integer-exact', 'relative-tolerance', 'tuple', 'interval', 'set', 'matrix', 'symbolic', 'pi', 'sqrt', 'imaginary-i', 'choice-letter']) {
    assert.ok(corpus.some((p) => p.category === c && !p.equal), `no near-miss in ${c}`);
  }
});

test('the grader gives every corpus pair its verdict by construction', () => {
  const wrong = corpus.filter((p) => isEquivalent(p.pred, p.gt) !== p.equal);
  assert.deepEqual(
    wrong.map((p) => `${p.category} ${p.source}: ${JSON.stringify(p.pred.slice(0, 80))} vs ${JSON.stringify(p.gt.slice(0, 80))} should be ${p.equal}`),
    [],
  );
});
