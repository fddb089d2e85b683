import { derivedRandom, shuffled } from '../random';
import type { PairRow } from './rows';

export interface EvalSplit {
  train: PairRow[];
  eval: PairRow[];
  /** Problems in the evaluation split, sorted. */
  evalProblems: string[];
}

/**
 * Splits by problem, never inside one: all pairs of a problem go to the same side, so the
 * evaluation pairs ask questions the training pairs never asked. The problems with pairs
 * are shuffled with the run's seed; the first round(fraction × count) go to evaluation (at
 * least one, and at least one stays for training). Row order is kept on both sides.
 */
export function evalSplit(rows: readonly PairRow[], fraction: number, seed: number): EvalSplit {
  const problems = [...new Set(rows.map((r) => r.problemId))].sort();
  if (fraction <= 0 || problems.length < 2) return { train: [...rows], eval: [], evalProblems: [] };
  const count = Math.min(problems.length - 1, Math.max(1, Math.round(fraction * problems.length)));
  const chosen = new Set(shuffled(problems, derivedRandom(seed, 'eval-split')).slice(0, count));
  return {
    train: rows.filter((r) => !chosen.has(r.problemId)),
    eval: rows.filter((r) => chosen.has(r.problemId)),
    evalProblems: [...chosen].sort(),
  };
}
