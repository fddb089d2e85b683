// Figures for the insight views on a large synthetic run: how long the panel's data takes
// to compute, and how long one threshold preview (one frame of a drag) takes.
import { performance } from 'node:perf_hooks';
import { insightsData } from '../../src/core/insights/insights-data';
import { calibrationColumns, thresholdPreview } from '../../src/core/insights/calibration';
import { syntheticRun } from '../../test/browser/insights/synthetic-run';

for (const n of [50_000, 100_000]) {
  let t = performance.now();
  const run = syntheticRun(n);
  const built = performance.now() - t;
  t = performance.now();
  const data = insightsData(run);
  const all = performance.now() - t;
  const json = JSON.stringify(data);
  const cols = calibrationColumns(data.calibration);
  const labels = new Uint8Array(data.calibration.ids.length);
  const frames = 200;
  t = performance.now();
  for (let i = 0; i < frames; i++) thresholdPreview(cols, { tauLow: 0.15, tauHigh: 0.3 + (0.5 * i) / frames }, data.calibration, labels);
  const perFrame = (performance.now() - t) / frames;
  console.log(
    `${n} problems (${n * 3} responses): run built in ${built.toFixed(0)} ms; all insight data in ${all.toFixed(0)} ms; ` +
      `payload ${(json.length / 1e6).toFixed(1)} MB; threshold preview ${perFrame.toFixed(2)} ms per frame`,
  );
}
