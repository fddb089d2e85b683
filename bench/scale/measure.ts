// Opens a generated run in a fresh process and times what a curator does with it: open
// (index + derived read model), relabel after a threshold change (labels, plan, pairs),
// and export the DPO pairs. Prints one JSON line of figures.
// Usage (by run.ts): node --import tsx bench/scale/measure.ts DIR OUT_DIR
import { join } from 'node:path';
import { ProjectStore } from '../../src/store/project';
import { stateOf } from '../../src/pipeline/derive-from-store';
import { relabel } from '../../src/core/state/derive';
import { exportPairs } from '../../src/pipeline/export-run';

const [dir, outDir] = process.argv.slice(2);
const rssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU seconds of each step too: on a shared machine the wall clock also counts waiting for a core. */
const cpu: Record<string, number> = {};
const time = async <T>(name: string, f: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const c = process.cpuUsage();
  const v = await f();
  const used = process.cpuUsage(c);
  cpu[name] = (used.user + used.system) / 1e6;
  return [v, (performance.now() - t) / 1000];
};

const [{ store }, indexSeconds] = await time('index', () => ProjectStore.open(dir!, { write: false }));
const indexRss = rssMB();
const [state, deriveSeconds] = await time('derive', () => stateOf(store));
const openRss = rssMB();
const [moved, relabelSeconds] = await time('relabel', () => relabel(state, { thresholds: { tauLow: 0.25, tauHigh: 0.5 } }));
const [back, relabelBackSeconds] = await time('relabelBack', () => relabel(moved, { thresholds: { tauLow: 0.15, tauHigh: 0.65 } }));
const [exported, exportSeconds] = await time('export', () => exportPairs(back, { format: 'trl-conversational', out: join(outDir!, 'pairs.jsonl'), force: true }));
await store.close();
process.stdout.write(
  JSON.stringify({
    problems: state.problems.length,
    responses: state.budget.spent,
    indexSeconds,
    deriveSeconds,
    openSeconds: indexSeconds + deriveSeconds,
    indexRssMB: indexRss,
    openRssMB: openRss,
    relabelSeconds,
    relabelBackSeconds,
    labelsBefore: state.counts,
    labelsAfter: moved.counts,
    pairsBefore: state.pairs.length,
    pairsAfter: moved.pairs.length,
    exportSeconds,
    exportedPairs: exported.manifest.pairs,
    peakRssMB: rssMB(),
    cpuSeconds: cpu,
  }) + '\n',
);
