import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateCost, planBudget } from '../../../src/core/budget-plan';
import type { EffectiveLabel } from '../../../src/core/schema/index';

const problems = (labels: EffectiveLabel[]) => labels.map((label, i) => ({ id: `p${i}`, label }));

test('the remaining budget goes evenly to Boundary problems, total exactly N·|D|', () => {
  // |D| = 5, N = 8, n_p = 3: B = 25 over 3 Boundary problems: 8 each, 1 left over.
  const plan = planBudget({ problems: problems(['inlier', 'boundary', 'outlier', 'boundary', 'boundary']), N: 8, presample: 3, seed: 1234 });
  assert.equal(plan.remaining, 25);
  assert.equal(plan.perBoundary, 8);
  assert.equal(plan.luckyIds.length, 1);
  assert.deepEqual(plan.boundary, ['p1', 'p3', 'p4']);
  assert.equal(plan.targets.get('p0'), 3);
  assert.equal(plan.targets.get('p2'), 3);
  const boundaryTargets = ['p1', 'p3', 'p4'].map((id) => plan.targets.get(id)!);
  assert.deepEqual([...boundaryTargets].sort(), [11, 11, 12]);
  assert.equal(plan.targets.get(plan.luckyIds[0]!), 12);
  const total = [...plan.targets.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, 40);
  assert.equal(plan.planned, 40);
  assert.equal(plan.unspent, 0);
});

test('the remainder is stable for a seed and moves with another seed', () => {
  const labels = problems(Array<EffectiveLabel>(10).fill('boundary').concat(Array<EffectiveLabel>(7).fill('inlier')));
  // B = 5·17 = 85 over 10: 8 each, 5 left over.
  const a = planBudget({ problems: labels, N: 8, presample: 3, seed: 1234 });
  const b = planBudget({ problems: labels, N: 8, presample: 3, seed: 1234 });
  assert.deepEqual(a.luckyIds, b.luckyIds);
  assert.equal(a.luckyIds.length, 5);
  assert.equal(new Set(a.luckyIds).size, 5);
  const seeds = [1, 2, 3, 4, 5].map((seed) => planBudget({ problems: labels, N: 8, presample: 3, seed }).luckyIds.join());
  assert.ok(new Set([a.luckyIds.join(), ...seeds]).size > 1);
  for (const plan of [a, b]) assert.equal([...plan.targets.values()].reduce((x, y) => x + y, 0), 8 * 17);
});

test('no Boundary problem leaves the budget unspent', () => {
  const plan = planBudget({ problems: problems(['inlier', 'outlier', 'unlabelled']), N: 8, presample: 3, seed: 1234 });
  assert.equal(plan.boundary.length, 0);
  assert.equal(plan.unspent, 15);
  assert.equal(plan.planned, 9);
  assert.deepEqual([...plan.targets.values()], [3, 3, 3]);
});

test('every problem Boundary: each gets exactly N', () => {
  const plan = planBudget({ problems: problems(['boundary', 'boundary']), N: 8, presample: 3, seed: 1 });
  assert.deepEqual([...plan.targets.values()], [8, 8]);
  assert.equal(plan.luckyIds.length, 0);
});

test('cost is estimated from the mean usage of what was bought', () => {
  const est = estimateCost({
    missing: 10,
    usage: [
      { prompt: 100, completion: 400 },
      { prompt: 100, completion: 600 },
    ],
    prices: { promptPerMTok: 1, completionPerMTok: 2 },
  });
  // 10 × 100 prompt tokens at $1/M + 10 × 500 completion tokens at $2/M.
  assert.deepEqual(est, { promptTokens: 1000, completionTokens: 5000, cost: 0.011, known: true });
  assert.equal(estimateCost({ missing: 5, usage: [], prices: { promptPerMTok: 1, completionPerMTok: 1 } }).known, false);
});
