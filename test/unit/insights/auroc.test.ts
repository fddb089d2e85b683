import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { auroc } from '../../../src/core/insights/auroc';

test('AUROC matches hand-computed values, ties counted half', () => {
  assert.equal(auroc([0.9, 0.8], [0.1, 0.2]), 1);
  assert.equal(auroc([0.1], [0.9]), 0);
  assert.equal(auroc([0.5], [0.5]), 0.5);
  // Pairs (pos, neg): (.9,.5)=1 (.9,.1)=1 (.5,.5)=.5 (.5,.1)=1 (.5,.5)=.5 (.5,.1)=1 -> 5 / 6.
  assert.equal(auroc([0.9, 0.5, 0.5], [0.5, 0.1]), 5 / 6);
  assert.equal(auroc([], [0.3]), null);
  assert.equal(auroc([0.3], []), null);
});

test('AUROC equals the pairwise definition on random scores', () => {
  const score = fc.integer({ min: 0, max: 10 }).map((i) => i / 10);
  fc.assert(
    fc.property(fc.array(score, { minLength: 1, maxLength: 30 }), fc.array(score, { minLength: 1, maxLength: 30 }), (pos, neg) => {
      let wins = 0;
      for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
      assert.ok(Math.abs(auroc(pos, neg)! - wins / (pos.length * neg.length)) < 1e-12);
    }),
  );
});
