import { hashString } from './random';

/**
 * The `seed` one policy request sends. vLLM gives child sample i of a request `seed + i`
 * (v1/engine/parallel_sampling.py), and the same prompt with the same seed gives the same
 * texts, so one seed for every request would make re-samples repeat pre-samples.
 *
 * A problem's requests start at distinct slots (their slot sets are disjoint), so each gets
 * its own block of SEED_STRIDE seeds: `base(runSeed, problemId) + firstSlot · SEED_STRIDE`.
 * With n ≤ SEED_STRIDE the children's seeds of two requests never meet, whatever slots a
 * resumed run leaves to buy. The same run seed, problem and first slot always give the same
 * seed, so a run is reproducible; the result stays below 2^31 (any server's int).
 */
export const SEED_STRIDE = 1024;
const BASE_RANGE = 2 ** 30;

export function requestSeed(runSeed: number, problemId: string, firstSlot: number): number {
  const base = (hashString(`${runSeed | 0}:${problemId}`) ^ Math.imul(runSeed | 0, 0x9e3779b1)) >>> 0;
  return (base % BASE_RANGE) + ((firstSlot * SEED_STRIDE) % BASE_RANGE);
}
