import { seededRandom } from '../../../src/core/random';
import type { RunState } from '../../../src/core/state/run-state';
import { handMadeRun, type P } from '../../unit/insights/hand-made-run';

/**
 * A run of `n` problems with three graded, PRM-scored pre-samples each: easy problems are
 * mostly solved with high step scores, hard ones mostly failed with low ones, as in a real
 * run. `hostileId` adds a problem whose id is markup, to check the page keeps it text.
 */
export function syntheticRun(n: number, seed = 7, hostileId?: string): RunState {
  // The run's own generator, so the page test sees the same run every time.
  const rnd = seededRandom(seed);
  const problems: P[] = [];
  for (let i = 0; i < n; i++) {
    const ease = rnd();
    const responses = Array.from({ length: 3 }, () => {
      const correct = rnd() < ease;
      const base = correct ? 0.35 + 0.6 * ease : 0.05 + 0.5 * ease;
      const s = Math.min(1, Math.max(0, base + (rnd() - 0.5) * 0.3));
      return { correct, steps: [Math.min(1, s + 0.2), s], prompt: 120, completion: 400 };
    });
    if (i === 0 && hostileId) {
      // A correct response the PRM scores near zero: it heads the reward-model table.
      responses[0] = { correct: true, steps: [0.9, 0.01], prompt: 120, completion: 400 };
      responses[1] = { correct: false, steps: [0.9, 0.95], prompt: 120, completion: 400 };
    }
    problems.push({ id: i === 0 && hostileId ? hostileId : `p${i}`, responses });
  }
  return handMadeRun(problems);
}
