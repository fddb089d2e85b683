import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPreset, minStepScore, presetForPrm, rdeLabel, rdeStats } from '../../../src/core/rde';

const T = { tauLow: 0.15, tauHigh: 0.65 };

test('S(r) is the minimum step score; no step gives null', () => {
  assert.equal(minStepScore([0.9, 0.2, 0.7]), 0.2);
  assert.equal(minStepScore([0.5]), 0.5);
  assert.equal(minStepScore([]), null);
});

test('phi_a and phi_r are means over the known pre-samples', () => {
  const s = rdeStats([
    { correct: true, minScore: 0.9 },
    { correct: false, minScore: 0.3 },
    { correct: true, minScore: 0.6 },
  ]);
  assert.equal(s.phiA, 2 / 3);
  assert.ok(Math.abs(s.phiR! - 0.6) < 1e-12);
  assert.equal(s.graded, 3);
  assert.equal(s.scored, 3);
  // Ungraded or unscored pre-samples do not count.
  const partial = rdeStats([{ correct: true, minScore: null }, { correct: null, minScore: 0.4 }]);
  assert.deepEqual(partial, { phiA: 1, phiR: 0.4, graded: 1, scored: 1 });
  assert.deepEqual(rdeStats([]), { phiA: null, phiR: null, graded: 0, scored: 0 });
});

test('labels follow docs/method.md with accuracy and reward', () => {
  const L = (phiA: number, phiR: number) => rdeLabel({ phiA, phiR }, T, 'accuracy+reward', true);
  assert.equal(L(1, 0.8), 'inlier');
  assert.equal(L(1, 0.65), 'boundary'); // strictly above tau_h
  assert.equal(L(1, 0.5), 'boundary'); // all correct but the PRM doubts it
  assert.equal(L(0, 0.1), 'outlier');
  assert.equal(L(0, 0.15), 'boundary'); // strictly below tau_l
  assert.equal(L(0, 0.9), 'boundary'); // all wrong but the PRM likes the reasoning
  assert.equal(L(2 / 3, 0.99), 'boundary');
  assert.equal(L(1 / 3, 0.01), 'boundary');
});

test('ablations: accuracy only and reward only', () => {
  assert.equal(rdeLabel({ phiA: 1, phiR: 0.1 }, T, 'accuracy-only', true), 'inlier');
  assert.equal(rdeLabel({ phiA: 0, phiR: 0.9 }, T, 'accuracy-only', true), 'outlier');
  assert.equal(rdeLabel({ phiA: 0.5, phiR: 0.9 }, T, 'accuracy-only', true), 'boundary');
  assert.equal(rdeLabel({ phiA: 0, phiR: 0.9 }, T, 'reward-only', true), 'inlier');
  assert.equal(rdeLabel({ phiA: 1, phiR: 0.1 }, T, 'reward-only', true), 'outlier');
  assert.equal(rdeLabel({ phiA: 1, phiR: 0.4 }, T, 'reward-only', true), 'boundary');
});

test('without a PRM, accuracy decides; without data, no label', () => {
  assert.equal(rdeLabel({ phiA: 1, phiR: null }, T, 'accuracy+reward', false), 'inlier');
  assert.equal(rdeLabel({ phiA: 0, phiR: null }, T, 'reward-only', false), 'outlier');
  assert.equal(rdeLabel({ phiA: 1, phiR: null }, T, 'accuracy+reward', true), 'unlabelled');
  assert.equal(rdeLabel({ phiA: null, phiR: null }, T, 'accuracy-only', false), 'unlabelled');
  assert.equal(rdeLabel({ phiA: null, phiR: 0.9 }, T, 'reward-only', true), 'inlier');
});

test('threshold presets match served PRM names', () => {
  assert.deepEqual(pick(presetForPrm('Skywork/Skywork-o1-Open-PRM-Qwen-2.5-7B')), [0.15, 0.65]);
  assert.deepEqual(pick(presetForPrm('/models/skywork-o1-open-prm-qwen-2.5-1.5b')), [0.25, 0.5]);
  assert.deepEqual(pick(presetForPrm('Qwen/Qwen2.5-Math-PRM-7B')), [0.55, 0.99]);
  assert.equal(presetForPrm('my-own-prm'), undefined);
});

function pick(p: { tauLow: number; tauHigh: number } | undefined) {
  return p ? [p.tauLow, p.tauHigh] : undefined;
}

test('presets are found by short id too', () => {
  assert.deepEqual(pick(findPreset('skywork-1.5b')), [0.25, 0.5]);
  assert.deepEqual(pick(findPreset('QWEN-MATH-PRM-7B')), [0.55, 0.99]);
  assert.equal(findPreset('nope'), undefined);
});
