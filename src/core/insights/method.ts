import type { Label, RdeMode } from '../schema/index';

/**
 * The method's labelling rule and re-sampling plan as the insight views use them.
 * Kept in this one file so every view (and the webview's live preview) applies the same
 * rule; it follows METHOD.md, Stage 1 and Stage 2.
 */

export interface Thresholds {
  tauLow: number;
  tauHigh: number;
}

/** RDE label from accuracy phi_a and process score phi_r (null when nothing was scored). */
export function rdeLabel(phiA: number, phiR: number | null, t: Thresholds, mode: RdeMode): Label {
  const high = phiR !== null && phiR > t.tauHigh;
  const low = phiR !== null && phiR < t.tauLow;
  switch (mode) {
    case 'accuracy-only':
      return phiA === 1 ? 'inlier' : phiA === 0 ? 'outlier' : 'boundary';
    case 'reward-only':
      return high ? 'inlier' : low ? 'outlier' : 'boundary';
    case 'accuracy+reward':
      return phiA === 1 && high ? 'inlier' : phiA === 0 && low ? 'outlier' : 'boundary';
  }
}

/** Stage 2 in numbers: how many extra responses each Boundary problem gets. */
export interface ResamplePlan {
  /** B = (N - n_p) x |D|. */
  remaining: number;
  boundary: number;
  /** floor(B / |Boundary|): every Boundary problem gets at least this many. */
  perBoundary: number;
  /** B mod |Boundary|: this many Boundary problems get one more. */
  extraOne: number;
}

export function resamplePlan(problems: number, boundary: number, N: number, presample: number): ResamplePlan {
  const remaining = Math.max(0, N - presample) * problems;
  if (boundary === 0) return { remaining, boundary, perBoundary: 0, extraOne: 0 };
  return { remaining, boundary, perBoundary: Math.floor(remaining / boundary), extraOne: remaining % boundary };
}
