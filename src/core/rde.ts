import type { Label, RdeMode } from './schema/index';

/** Reward-guided Difficulty Estimation (docs/method.md, "Stage 1"). */

export interface Thresholds {
  tauLow: number;
  tauHigh: number;
}

export interface ThresholdPreset extends Thresholds {
  /** Short name for settings and flags. */
  id: string;
  /** The PRM the thresholds were tuned for. */
  prm: string;
  /** Matches a configured PRM model name (served names vary: paths, org prefixes). */
  pattern: RegExp;
}

/** The reference thresholds (docs/method.md, "Stage 1") (policy Qwen2.5-7B), by PRM. */
export const THRESHOLD_PRESETS: readonly ThresholdPreset[] = [
  { id: 'skywork-7b', prm: 'Skywork-o1-Open-PRM-Qwen-2.5-7B', pattern: /skywork.*prm.*7b/i, tauLow: 0.15, tauHigh: 0.65 },
  { id: 'skywork-1.5b', prm: 'Skywork-o1-Open-PRM-Qwen-2.5-1.5B', pattern: /skywork.*prm.*1\.5b/i, tauLow: 0.25, tauHigh: 0.5 },
  { id: 'qwen-math-prm-7b', prm: 'Qwen2.5-Math-PRM-7B', pattern: /qwen2\.5-math-prm-7b/i, tauLow: 0.55, tauHigh: 0.99 },
];

/** The paper's setting, used when nothing else is known. */
export const DEFAULT_THRESHOLDS: Thresholds = { tauLow: 0.15, tauHigh: 0.65 };

export function presetForPrm(model: string): ThresholdPreset | undefined {
  return THRESHOLD_PRESETS.find((p) => p.pattern.test(model));
}

/** A preset by its short id or by a PRM name it matches. */
export function findPreset(name: string): ThresholdPreset | undefined {
  return THRESHOLD_PRESETS.find((p) => p.id === name.toLowerCase()) ?? presetForPrm(name);
}

/** S(r): the weakest step decides. Null when the PRM returned no step. */
export function minStepScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  let min = scores[0]!;
  for (let i = 1; i < scores.length; i++) if (scores[i]! < min) min = scores[i]!;
  return min;
}

/** What RDE needs of one pre-sample: V(x, r) and S(r), each null until known. */
export interface PresampleFacts {
  correct: boolean | null;
  minScore: number | null;
}

export interface RdeStats {
  /** Mean V over the graded pre-samples; null when none is graded. */
  phiA: number | null;
  /** Mean S over the scored pre-samples; null when none is scored. */
  phiR: number | null;
  graded: number;
  scored: number;
}

export function rdeStats(presamples: Iterable<PresampleFacts>): RdeStats {
  let graded = 0;
  let correct = 0;
  let scored = 0;
  let sum = 0;
  for (const p of presamples) {
    if (p.correct !== null) {
      graded++;
      if (p.correct) correct++;
    }
    if (p.minScore !== null) {
      scored++;
      sum += p.minScore;
    }
  }
  return { phiA: graded ? correct / graded : null, phiR: scored ? sum / scored : null, graded, scored };
}

/**
 * The label of a problem from its statistics. Without a process score (no PRM configured,
 * or none scored yet in accuracy-only mode) accuracy decides alone; reward-only mode
 * ignores accuracy.
 */
export function rdeLabel(
  stats: Pick<RdeStats, 'phiA' | 'phiR'>,
  t: Thresholds,
  mode: RdeMode,
  prmConfigured: boolean,
): Label | 'unlabelled' {
  const { phiA, phiR } = stats;
  const effective: RdeMode = prmConfigured ? mode : 'accuracy-only';
  switch (effective) {
    case 'accuracy-only':
      if (phiA === null) return 'unlabelled';
      return phiA === 1 ? 'inlier' : phiA === 0 ? 'outlier' : 'boundary';
    case 'reward-only':
      if (phiR === null) return 'unlabelled';
      return phiR > t.tauHigh ? 'inlier' : phiR < t.tauLow ? 'outlier' : 'boundary';
    case 'accuracy+reward':
      if (phiA === null || phiR === null) return 'unlabelled';
      if (phiA === 1 && phiR > t.tauHigh) return 'inlier';
      if (phiA === 0 && phiR < t.tauLow) return 'outlier';
      return 'boundary';
  }
}
