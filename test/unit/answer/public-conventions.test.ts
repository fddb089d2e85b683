import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConventionCorpus } from '../../fixtures/answer/public-conventions';
import { gradeResponse, isEquivalent } from '../../../src/core/answer/index';

const corpus = buildConventionCorpus();

/** The conventions and kinds of writing the corpus must cover. */
const CONVENTIONS = ['MATH', 'GSM8K', 'AIME/AMC', 'Minerva', 'OlympiadBench', 'model output'];
const CATEGORIES = [
  'LaTeX spacing', 'thousands', 'units', 'degrees', 'percent', 'intervals and inequalities', 'sets and lists',
  'equations and lines', 'matrices and vectors', 'multiple choice', 'named answers', '\\operatorname',
  'scientific notation', 'mixed numbers', 'radicals', 'complex numbers', 'phrases',
];

test('the public-convention corpus has ≥ 2,000 pairs, every convention and kind, each with a reason and near-misses', () => {
  assert.ok(corpus.length >= 2000, `${corpus.length} pairs`);
  for (const c of CONVENTIONS) assert.ok(corpus.some((p) => p.convention === c), `convention ${c} missing`);
  for (const c of CATEGORIES) {
    assert.ok(corpus.some((p) => p.category === c && p.equal), `no equal pair in ${c}`);
    assert.ok(corpus.some((p) => p.category === c && !p.equal), `no near-miss in ${c}`);
  }
  for (const p of corpus) assert.ok(p.reason.length > 5 && !p.reason.includes('\n'), `no one-line reason for ${p.pred}`);
});

test('symmetric pairs are in the corpus in both directions', () => {
  const keys = new Set(corpus.filter((p) => !p.response).map((p) => `${p.convention}\u0000${p.pred}\u0000${p.gt}`));
  const oneWay = corpus.filter((p) => !p.response && !keys.has(`${p.convention}\u0000${p.gt}\u0000${p.pred}`));
  assert.deepEqual(oneWay.map((p) => `${p.pred} vs ${p.gt}`), []);
});

test('the grader gives every public-convention pair its expected verdict', () => {
  const wrong = corpus.filter((p) => (p.response ? gradeResponse(p.pred, p.gt).correct : isEquivalent(p.pred, p.gt)) !== p.equal);
  assert.deepEqual(
    wrong.map((p) => `${p.convention} / ${p.category}: ${JSON.stringify(p.pred)} vs ${JSON.stringify(p.gt)} should be ${p.equal} — ${p.reason}`),
    [],
  );
});
