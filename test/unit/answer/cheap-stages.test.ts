import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradeResponse, isEquivalent } from '../../../src/core/answer/index';
import { engineLoaded } from '../../../src/core/answer/symbolic';
import { buildConventionCorpus } from '../../fixtures/answer/public-conventions';

// Run in a process of its own (node --test runs each file apart), so the engine is loaded
// only if one of these pairs reaches it.
const pairs: [string, string, boolean][] = [
  ['0.\\overline{3}', '\\frac{1}{3}', true],
  ['\\frac{1}{3}', '0.\\overline{3}', true],
  ['0.\\overline{3}', '0.3', false],
  ['1.1\\overline{6}', '\\frac{7}{6}', true],
  ['-0.\\overline{09}', '-\\frac{1}{11}', true],
  ['0.\\overline{9}', '1', true],
  ['0.\\overline{12}', '0.\\overline{21}', false],
  ['i^2', '-1', true],
  ['-1', 'i^2', true],
  ['i^2', '1', false],
  ['i^3', '-i', true],
  ['i^{4}', '1', true],
  ['3+i^2', '2', true],
  ['e^{i\\pi}', '-1', true],
  ['e^{i\\pi}+1', '0', true],
  ['e^{i\\pi/2}', 'i', true],
  ['2e^{i\\pi/3}', '1+\\sqrt{3}i', true],
  ['e^{i\\theta}', '\\cos\\theta+i\\sin\\theta', true],
];

test('repeating decimals and powers of i are decided before the symbolic engine, which stays unloaded', () => {
  for (const [a, b, equal] of pairs) assert.equal(isEquivalent(a, b), equal, `${a} vs ${b}`);
  assert.equal(engineLoaded(), false);
});

test('no pair of the public-convention corpus needs the symbolic engine, so hsstar grade never loads it there', () => {
  for (const p of buildConventionCorpus()) {
    if (p.response) gradeResponse(p.pred, p.gt);
    else isEquivalent(p.pred, p.gt);
    assert.equal(engineLoaded(), false, `${p.category}: ${p.pred} vs ${p.gt} loads the engine`);
  }
});

test('an exponent of e that is not affine in i is still left to the engine', () => {
  // e^{i^2} = e^{-1} is read exactly, since i^2 is -1; e^{\sin i} is not affine in i.
  assert.equal(isEquivalent('e^{i^2}', '\\frac{1}{e}'), true);
  assert.equal(engineLoaded(), false);
  isEquivalent('e^{\\sin(i)}', '2');
  assert.equal(engineLoaded(), true);
});
