import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrationColumns, calibrationData, thresholdPreview, LABELS, NO_OVERRIDE, labelCode } from '../../../src/core/insights/calibration';
import { handMadeRun, type P } from './hand-made-run';

const right = (m: number) => ({ correct: true, steps: [0.99, m] });
const wrong = (m: number) => ({ correct: false, steps: [m, 0.99] });

// n_p = 3, N = 8, tau = 0.15 / 0.65.
const problems: P[] = [
  { id: 'a', responses: [right(0.9), right(0.8), right(0.7)] }, // phi_a 1, phi_r 0.8: inlier
  { id: 'b', responses: [wrong(0.1), wrong(0.05), wrong(0.15)] }, // phi_a 0, phi_r 0.1: outlier
  { id: 'c', responses: [right(0.5), right(0.5), wrong(0.5)] }, // phi_a 2/3: boundary
  { id: 'd', responses: [right(0.5), right(0.5), right(0.5), wrong(0.9)] }, // phi_a 1, phi_r 0.5: boundary
  { id: 'e', responses: [] }, // nothing graded: unlabelled
  { id: 'f', responses: [wrong(0.1), wrong(0.1), wrong(0.1)], override: 'boundary' }, // outlier by rule, kept Boundary
];

test('calibration data holds one point per labelled problem with its override', () => {
  const data = calibrationData(handMadeRun(problems));
  assert.deepEqual(data.ids, ['a', 'b', 'c', 'd', 'f']);
  assert.deepEqual(data.phiA.map((x) => +x.toFixed(4)), [1, 0, 0.6667, 1, 0]);
  assert.deepEqual(data.phiR.map((x) => +x!.toFixed(4)), [0.8, 0.1, 0.5, 0.5, 0.1]);
  assert.deepEqual(data.override, [NO_OVERRIDE, NO_OVERRIDE, NO_OVERRIDE, NO_OVERRIDE, labelCode('boundary')]);
  assert.equal(data.problems, 6);
  assert.deepEqual(data.thresholds, { tauLow: 0.15, tauHigh: 0.65 });
});

test('jitter is deterministic and keeps each column apart', () => {
  const one = calibrationData(handMadeRun(problems));
  const two = calibrationData(handMadeRun(problems));
  assert.deepEqual(one.x, two.x);
  one.x.forEach((x, i) => assert.ok(Math.abs(x - one.phiA[i]!) <= 0.4 / 3, `point ${i} strays`));
  assert.ok(new Set(one.x).size === one.x.length, 'points of one column spread out');
});

test('the preview counts labels and the plan for candidate thresholds, overrides kept', () => {
  const data = calibrationData(handMadeRun(problems));
  const cols = calibrationColumns(data);
  const labels = new Uint8Array(data.ids.length);
  const now = thresholdPreview(cols, data.thresholds, data, labels);
  assert.deepEqual(now.counts, [1, 1, 3, 1]);
  assert.deepEqual([...labels].map((c) => LABELS[c]), ['inlier', 'outlier', 'boundary', 'boundary', 'boundary']);
  // B = (8 - 3) x 6 = 30 over 3 Boundary problems.
  assert.deepEqual(now.plan, { remaining: 30, boundary: 3, perBoundary: 10, extraOne: 0 });

  // Lower tau_h: d (phi_a 1, phi_r 0.5) becomes Inlier.
  const lowHigh = thresholdPreview(cols, { tauLow: 0.15, tauHigh: 0.4 }, data);
  assert.deepEqual(lowHigh.counts, [2, 1, 2, 1]);
  assert.deepEqual(lowHigh.plan, { remaining: 30, boundary: 2, perBoundary: 15, extraOne: 0 });

  // Lower tau_l: b (phi_r 0.1) is no longer an Outlier; f stays Boundary by override.
  const lowLow = thresholdPreview(cols, { tauLow: 0.05, tauHigh: 0.65 }, data);
  assert.deepEqual(lowLow.counts, [1, 0, 4, 1]);
  assert.deepEqual(lowLow.plan, { remaining: 30, boundary: 4, perBoundary: 7, extraOne: 2 });
});

test('an applied thresholds event wins over the settings', () => {
  const run = handMadeRun(problems, {}, [
    { id: 'e1', at: '2026-01-01T00:00:00Z', author: 'ann', type: 'thresholds', tauLow: 0.2, tauHigh: 0.4 },
  ]);
  assert.deepEqual(calibrationData(run).thresholds, { tauLow: 0.2, tauHigh: 0.4 });
});

test('phi_r histograms are kept per accuracy value', () => {
  const data = calibrationData(handMadeRun(problems), 10);
  assert.deepEqual(
    data.histograms.map((h) => +h.phiA.toFixed(4)),
    [0, 0.6667, 1],
  );
  const [zero, twoThirds, one] = data.histograms;
  assert.equal(zero!.counts[1], 2, 'b and f have phi_r 0.1');
  assert.equal(twoThirds!.counts[5], 1);
  assert.equal(one!.counts[8], 1, 'a: phi_r 0.8');
  assert.equal(one!.counts[5], 1, 'd: phi_r 0.5');
  assert.equal(data.histograms.reduce((s, h) => s + h.counts.reduce((a, b) => a + b, 0), 0), 5);
});

test('problems without process scores are plotted without phi_r and counted as unscored', () => {
  const run = handMadeRun(
    [
      { id: 'x', responses: [{ correct: true }, { correct: true }, { correct: true }] },
      { id: 'y', responses: [{ correct: false }, { correct: false }, { correct: true }] },
    ],
    { rdeMode: 'accuracy-only' },
  );
  const data = calibrationData(run);
  assert.deepEqual(data.phiR, [null, null]);
  assert.deepEqual(data.histograms.map((h) => h.unscored), [1, 1]);
  const preview = thresholdPreview(calibrationColumns(data), data.thresholds, data);
  assert.deepEqual(preview.counts, [1, 0, 1, 0]);
});
