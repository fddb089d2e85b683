import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rdeLabel, resamplePlan } from '../../../src/core/insights/method';

const t = { tauLow: 0.15, tauHigh: 0.65 };

test('accuracy+reward labels need both signals', () => {
  assert.equal(rdeLabel(1, 0.9, t, 'accuracy+reward'), 'inlier');
  assert.equal(rdeLabel(1, 0.65, t, 'accuracy+reward'), 'boundary', 'tau_h is a strict bound');
  assert.equal(rdeLabel(0, 0.1, t, 'accuracy+reward'), 'outlier');
  assert.equal(rdeLabel(0, 0.15, t, 'accuracy+reward'), 'boundary', 'tau_l is a strict bound');
  assert.equal(rdeLabel(2 / 3, 0.99, t, 'accuracy+reward'), 'boundary');
  assert.equal(rdeLabel(1, null, t, 'accuracy+reward'), 'boundary');
});

test('the ablation modes use one signal each', () => {
  assert.equal(rdeLabel(1, 0.1, t, 'accuracy-only'), 'inlier');
  assert.equal(rdeLabel(0, 0.9, t, 'accuracy-only'), 'outlier');
  assert.equal(rdeLabel(1 / 3, 0.9, t, 'accuracy-only'), 'boundary');
  assert.equal(rdeLabel(0, 0.9, t, 'reward-only'), 'inlier');
  assert.equal(rdeLabel(1, 0.1, t, 'reward-only'), 'outlier');
  assert.equal(rdeLabel(1, null, t, 'reward-only'), 'boundary');
});

test('the re-sampling plan spends exactly (N - n_p) x |D| on Boundary problems', () => {
  // 10 problems, N = 8, n_p = 3: B = 50; 3 Boundary problems get 16 each, 2 of them one more.
  assert.deepEqual(resamplePlan(10, 3, 8, 3), { remaining: 50, boundary: 3, perBoundary: 16, extraOne: 2 });
  assert.deepEqual(resamplePlan(10, 0, 8, 3), { remaining: 50, boundary: 0, perBoundary: 0, extraOne: 0 });
  for (const b of [1, 7, 10]) {
    const p = resamplePlan(10, b, 8, 3);
    assert.equal(p.perBoundary * b + p.extraOne, 50);
  }
});
