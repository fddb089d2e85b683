import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resamplePlan } from '../../../src/core/insights/method';
import { planBudget } from '../../../src/core/budget-plan';
import type { EffectiveLabel } from '../../../src/core/schema/index';

test('the preview plan spends exactly (N - n_p) x |D| on Boundary problems', () => {
  // 10 problems, N = 8, n_p = 3: B = 50; 3 Boundary problems get 16 each, 2 of them one more.
  assert.deepEqual(resamplePlan(10, 3, 8, 3), { remaining: 50, boundary: 3, perBoundary: 16, extraOne: 2 });
  assert.deepEqual(resamplePlan(10, 0, 8, 3), { remaining: 50, boundary: 0, perBoundary: 0, extraOne: 0 });
});

test('the preview plan agrees with the pipeline plan', () => {
  const labels: EffectiveLabel[] = ['inlier', 'boundary', 'outlier', 'boundary', 'unlabelled', 'boundary', 'boundary'];
  for (let boundary = 0; boundary <= 4; boundary++) {
    for (const [N, np] of [[8, 3], [4, 4], [16, 2]] as const) {
      let seen = 0;
      const problems = labels.map((label, i) => ({ id: `p${i}`, label: label === 'boundary' && seen++ >= boundary ? 'inlier' : label }));
      const full = planBudget({ problems, N, presample: np, seed: 1234 });
      const quick = resamplePlan(problems.length, full.boundary.length, N, np);
      assert.equal(quick.boundary, boundary);
      assert.deepEqual(
        [quick.remaining, quick.perBoundary, quick.extraOne],
        [full.remaining, full.perBoundary, full.luckyIds.length],
        `N=${N} n_p=${np} boundary=${boundary}`,
      );
    }
  }
});
