import type { Label, RdeMode } from '../schema/index';
import type { RunState } from '../state/run-state';
import { rdeLabel, type Thresholds } from '../rde';
import { jitterOf } from './jitter';
import { resamplePlan, type ResamplePlan } from './method';

/** Label codes used in the columnar data (small integers travel and count faster than strings). */
export const LABELS = ['inlier', 'outlier', 'boundary', 'unlabelled'] as const;
export const NO_OVERRIDE = -1;

const CODES: Record<Label | 'unlabelled', number> = { inlier: 0, outlier: 1, boundary: 2, unlabelled: 3 };

export function labelCode(label: Label | 'unlabelled'): number {
  return CODES[label];
}

/** Problems binned by phi_r, one histogram per accuracy value. */
export interface PhiRHistogram {
  phiA: number;
  /** counts[i] covers [i / bins, (i + 1) / bins); the last bin includes 1. */
  counts: number[];
  /** Problems in this accuracy bucket that have no process score. */
  unscored: number;
}

/**
 * Everything the calibration view needs, as parallel columns: one entry per problem that
 * has graded pre-samples. Problems without them still count in `problems` (|D|).
 */
export interface CalibrationData {
  ids: string[];
  /** phi_a plus a deterministic horizontal jitter, for drawing only. */
  x: number[];
  phiA: number[];
  phiR: (number | null)[];
  /** Curator override as a label code, or NO_OVERRIDE. */
  override: number[];
  /** |D|: every problem of the run. */
  problems: number;
  N: number;
  presample: number;
  mode: RdeMode;
  /** Without a PRM, accuracy decides alone (as in the pipeline). */
  prmConfigured: boolean;
  thresholds: Thresholds;
  bins: number;
  histograms: PhiRHistogram[];
}

export function calibrationData(run: RunState, bins = 20): CalibrationData {
  const presample = run.settings.budget.presample;
  // Half the gap between two accuracy values, so columns never overlap.
  const spread = 0.4 / Math.max(1, presample);
  const data: CalibrationData = {
    ids: [],
    x: [],
    phiA: [],
    phiR: [],
    override: [],
    problems: run.problems.length,
    N: run.settings.budget.N,
    presample,
    mode: run.settings.rdeMode,
    prmConfigured: run.prmConfigured,
    thresholds: run.thresholds,
    bins,
    histograms: [],
  };
  const byAccuracy = new Map<number, PhiRHistogram>();
  for (const p of run.problems) {
    if (p.phiA === null) continue;
    data.ids.push(p.problem.id);
    data.x.push(p.phiA + spread * jitterOf(p.problem.id));
    data.phiA.push(p.phiA);
    data.phiR.push(p.phiR);
    data.override.push(p.label.override ? labelCode(p.label.override.label) : NO_OVERRIDE);
    const key = Math.round(p.phiA * 1e6) / 1e6;
    let h = byAccuracy.get(key);
    if (!h) byAccuracy.set(key, (h = { phiA: key, counts: new Array<number>(bins).fill(0), unscored: 0 }));
    if (p.phiR === null) h.unscored++;
    else h.counts[Math.min(bins - 1, Math.floor(p.phiR * bins))]!++;
  }
  data.histograms = [...byAccuracy.values()].sort((a, b) => a.phiA - b.phiA);
  return data;
}

/** The calibration columns in typed arrays, built once per payload and reused while dragging. */
export interface CalibrationColumns {
  phiA: Float64Array;
  /** NaN where the problem has no process score. */
  phiR: Float64Array;
  override: Int8Array;
}

export function calibrationColumns(data: Pick<CalibrationData, 'phiA' | 'phiR' | 'override'>): CalibrationColumns {
  const n = data.phiA.length;
  const cols = { phiA: new Float64Array(n), phiR: new Float64Array(n), override: new Int8Array(n) };
  for (let i = 0; i < n; i++) {
    cols.phiA[i] = data.phiA[i]!;
    cols.phiR[i] = data.phiR[i] ?? Number.NaN;
    cols.override[i] = data.override[i]!;
  }
  return cols;
}

export interface ThresholdPreview {
  /** Effective labels (overrides kept) under the candidate thresholds, indexed like LABELS. */
  counts: [number, number, number, number];
  plan: ResamplePlan;
}

/**
 * Counts per label and the Stage 2 plan for candidate thresholds. Linear in the number of
 * problems and allocation-free when `labelsOut` is reused, so the view can call it on every
 * mouse move. Writes each problem's effective label code into `labelsOut` when given.
 */
export function thresholdPreview(
  cols: CalibrationColumns,
  t: Thresholds,
  ctx: Pick<CalibrationData, 'problems' | 'N' | 'presample' | 'mode' | 'prmConfigured'>,
  labelsOut?: Uint8Array,
): ThresholdPreview {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  const n = cols.phiA.length;
  const stats = { phiA: 0 as number | null, phiR: 0 as number | null };
  for (let i = 0; i < n; i++) {
    const o = cols.override[i]!;
    let code = o;
    if (o === NO_OVERRIDE) {
      const r = cols.phiR[i]!;
      stats.phiA = cols.phiA[i]!;
      stats.phiR = Number.isNaN(r) ? null : r;
      code = labelCode(rdeLabel(stats, t, ctx.mode, ctx.prmConfigured));
    }
    counts[code]!++;
    if (labelsOut) labelsOut[i] = code;
  }
  // Problems without graded pre-samples are not plotted and stay unlabelled.
  counts[3] += ctx.problems - n;
  return { counts, plan: resamplePlan(ctx.problems, counts[2], ctx.N, ctx.presample) };
}
