import type { StepRatingValue } from '../schema/index';
import type { RunState } from '../state/run-state';
import { labelledResponses, type LabelledResponse } from '../step-labels/labelled-responses';
import { isRated } from '../step-labels/step-labels';
import { auroc } from './auroc';

/**
 * The PRM against human step labels, in ProcessBench's terms (Zheng et al., 2024): the
 * PRM's first error is the earliest step whose score falls below a threshold, or "no
 * error"; it is right on an erroneous response when that is the human's first −1, and on a
 * correct one when it finds no error. The two accuracies and their harmonic mean (F1) are
 * given at a threshold (0.5 unless told) and at the threshold that maximises F1.
 */

/** Accuracy at one threshold; a side with no responses has a null accuracy, and then F1 is null. */
export interface FirstErrorScore {
  threshold: number;
  erroneousAccuracy: number | null;
  correctAccuracy: number | null;
  f1: number | null;
}

/** A step where the human and the PRM disagree most; opens the inspector at the step. */
export interface StepDisagreementRow {
  problemId: string;
  responseId: string;
  step: number;
  rating: StepRatingValue;
  score: number;
  note: string;
}

export interface PrmVsHuman {
  /** Responses with finished labels and PRM scores for every step (the ProcessBench sample). */
  responses: number;
  erroneous: number;
  correct: number;
  /** Labelled responses left out: unfinished, flagged bad problem, or not PRM-scored. */
  skipped: { incomplete: number; badProblem: number; unscored: number };
  at: FirstErrorScore;
  best: FirstErrorScore | null;
  /** Rated steps (unsure ones left out) of every labelled response with scores. */
  steps: { total: number; negative: number };
  /** Chance that a step not rated −1 scores above a −1 step (ties half); null without both kinds. */
  stepAuroc: number | null;
  /** −1 steps the PRM scores highest, highest first. */
  negativeHigh: StepDisagreementRow[];
  /** +1 steps the PRM scores lowest, lowest first. */
  positiveLow: StepDisagreementRow[];
}

/** One sample response as the threshold sweep sees it: where the PRM must flag, and where it must not. */
interface Sample {
  /** Human first error, or null for a correct response. */
  firstError: number | null;
  scores: readonly number[];
}

/** The PRM's first error at a threshold: the earliest step scoring below it. */
export function prmFirstError(scores: readonly number[], threshold: number): number | null {
  for (let i = 0; i < scores.length; i++) if (scores[i]! < threshold) return i;
  return null;
}

function harmonic(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}

export function firstErrorScore(samples: readonly Sample[], threshold: number): FirstErrorScore {
  let err = 0;
  let errHit = 0;
  let ok = 0;
  let okHit = 0;
  for (const s of samples) {
    const p = prmFirstError(s.scores, threshold);
    if (s.firstError === null) {
      ok++;
      if (p === null) okHit++;
    } else {
      err++;
      if (p === s.firstError) errHit++;
    }
  }
  const erroneousAccuracy = err ? errHit / err : null;
  const correctAccuracy = ok ? okHit / ok : null;
  return { threshold, erroneousAccuracy, correctAccuracy, f1: harmonic(erroneousAccuracy, correctAccuracy) };
}

/** Count of sorted values strictly below t. */
function below(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The threshold in [0, 1] with the highest F1 (the lowest such one on a tie). Each response
 * is judged right on an interval of thresholds — an erroneous one on (score of its first
 * error, lowest score before it], a correct one up to its lowest score — so the counts are
 * read off sorted interval ends at each candidate: O(n log n), not a scan per threshold.
 */
export function bestThreshold(samples: readonly Sample[]): FirstErrorScore | null {
  const lows: number[] = [];
  const highs: number[] = [];
  const correctMins: number[] = [];
  let erroneous = 0;
  for (const s of samples) {
    if (s.firstError === null) {
      correctMins.push(s.scores.length ? Math.min(...s.scores) : Infinity);
      continue;
    }
    erroneous++;
    const low = s.scores[s.firstError]!;
    let high = Infinity;
    for (let i = 0; i < s.firstError; i++) high = Math.min(high, s.scores[i]!);
    if (low < high) {
      lows.push(low);
      highs.push(high);
    }
  }
  if (erroneous === 0 || correctMins.length === 0) return null;
  const lo = Float64Array.from(lows).sort();
  const hi = Float64Array.from(highs).sort();
  const mins = Float64Array.from(correctMins).sort();
  // Right-closed intervals: the best value is reached at an interval's upper end (or at 1).
  const candidates = [...new Set([...highs, ...correctMins, 0, 1].filter((t) => t >= 0 && t <= 1))].sort((a, b) => a - b);
  let best: FirstErrorScore | null = null;
  for (const t of candidates) {
    const errHit = below(lo, t) - below(hi, t);
    const okHit = mins.length - below(mins, t);
    const a = errHit / erroneous;
    const b = okHit / mins.length;
    const f1 = harmonic(a, b)!;
    if (!best || f1 > best.f1!) best = { threshold: t, erroneousAccuracy: a, correctAccuracy: b, f1 };
  }
  return best;
}

function scoresOf(l: LabelledResponse): number[] | null {
  const s = l.view.stepScores;
  return s && s.length === l.view.steps.length && s.every((x) => Number.isFinite(x)) ? s : null;
}

export function prmVsHuman(run: RunState, threshold = 0.5, maxRows = 20): PrmVsHuman {
  const samples: Sample[] = [];
  const skipped = { incomplete: 0, badProblem: 0, unscored: 0 };
  const negatives: number[] = [];
  const others: number[] = [];
  const negativeRows: StepDisagreementRow[] = [];
  const positiveRows: StepDisagreementRow[] = [];
  for (const l of labelledResponses(run)) {
    if (l.labels.badProblem) {
      skipped.badProblem++;
      continue;
    }
    const scores = scoresOf(l);
    if (!scores) {
      skipped.unscored++;
      continue;
    }
    for (const [step, label] of l.labels.steps) {
      if (!isRated(label) || step >= scores.length) continue;
      const score = scores[step]!;
      const row = { problemId: l.problem.problem.id, responseId: l.view.response.id, step, rating: label.rating, score, note: label.note };
      if (label.rating === -1) {
        negatives.push(score);
        negativeRows.push(row);
      } else {
        others.push(score);
        if (label.rating === 1) positiveRows.push(row);
      }
    }
    if (l.verdict.kind === 'incomplete') skipped.incomplete++;
    else samples.push({ firstError: l.verdict.kind === 'error' ? l.verdict.firstError : null, scores });
  }
  negativeRows.sort((a, b) => b.score - a.score || a.responseId.localeCompare(b.responseId) || a.step - b.step);
  positiveRows.sort((a, b) => a.score - b.score || a.responseId.localeCompare(b.responseId) || a.step - b.step);
  const erroneous = samples.filter((s) => s.firstError !== null).length;
  return {
    responses: samples.length,
    erroneous,
    correct: samples.length - erroneous,
    skipped,
    at: firstErrorScore(samples, threshold),
    best: bestThreshold(samples),
    steps: { total: negatives.length + others.length, negative: negatives.length },
    stepAuroc: auroc(others, negatives),
    negativeHigh: negativeRows.slice(0, maxRows),
    positiveLow: positiveRows.slice(0, maxRows),
  };
}
