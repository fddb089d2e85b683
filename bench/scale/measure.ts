// Opens a generated run in a fresh process and times what a curator does with it: open
// (index, from the checkpoint when it is current, + derived read model), relabel after a
// threshold change (labels, plan, pairs), export the DPO pairs, and follow the run while
// another process appends FOLLOW_COUNT responses (the follower's update: the new log bytes
// and the read model again). The appended lines are cut off again afterwards, and the
// checkpoint put back, so the generated run stays as it was. Prints one JSON line of figures.
// Usage (by run.ts): node --import tsx bench/scale/measure.ts DIR OUT_DIR
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { CHECKPOINT_FILE } from '../../src/store/log/checkpoint';
import { ProjectStore } from '../../src/store/project';
import { restateOf, stateOf } from '../../src/pipeline/derive-from-store';
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
const FOLLOW_COUNT = 10_000;
const sizes = ['responses.jsonl', 'scores.jsonl'].map((f) => [f, statSync(join(dir!, f)).size] as const);
const hadCheckpoint = existsSync(join(dir!, CHECKPOINT_FILE));
if (hadCheckpoint) copyFileSync(join(dir!, CHECKPOINT_FILE), join(outDir!, CHECKPOINT_FILE));
const writer = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'append.ts'), dir!, String(FOLLOW_COUNT)], { stdio: 'inherit' });
if (writer.status !== 0) throw new Error('the appending process failed');
const [caught, catchUpSeconds] = await time('catchUp', () => store.catchUp());
// As the extension does: only the problems the new lines touched are derived again.
const [followed, followDeriveSeconds] = await time('followDerive', () => restateOf(store, back, caught.problems));
const [, catchUpOnlySeconds] = await time('catchUpNothing', () => store.catchUp());
await store.close();
for (const [f, size] of sizes) truncateSync(join(dir!, f), size);
if (hadCheckpoint) copyFileSync(join(outDir!, CHECKPOINT_FILE), join(dir!, CHECKPOINT_FILE));
else rmSync(join(dir!, CHECKPOINT_FILE), { force: true });
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
    checkpoint: store.checkpointUse,
    catchUpSeconds,
    followDeriveSeconds,
    followedResponses: followed.budget.spent - back.budget.spent,
    followedProblems: caught.problems.size,
    catchUpOnlySeconds,
    peakRssMB: rssMB(),
    cpuSeconds: cpu,
  }) + '\n',
);
