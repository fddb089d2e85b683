// Scale benchmark: a run of 100,000 problems × 8 responses. Generates it once through the
// store's append API (kept in SCALE_DIR for the next time), then, in a fresh process, prints
// the time and peak RSS to open it, to relabel after a threshold change (labels, re-sampling
// plan and pairs), and to export the pairs.
// Targets: open < 20 s and < 2 GB (with a current checkpoint: < 2 s, < 1 GB); follower's
// update after 10,000 responses appended by another process < 0.5 s; relabel < 1 s; export < 30 s.
// Usage: npm run bench:scale [-- PROBLEMS]   (SCALE_DIR=... to choose where the run lives)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FILE, CHECKPOINT_VERSION, checkpointVersionOf } from '../../src/store/log/checkpoint';

const problems = Number(process.argv[2] ?? 100_000);
const base = process.env.SCALE_DIR ?? join(tmpdir(), `hsstar-scale-${problems}`);
const dir = join(base, 'run');
const here = new URL('.', import.meta.url).pathname;
// The checkpoint key the measured processes sign and check with: kept beside the run (so its checkpoint stays trusted from one bench to the next), never the user's own.
process.env.HSSTAR_CONFIG_DIR ||= join(base, 'config');

function child(script: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed with exit code ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

// A run kept from an older version (its checkpoint of another version) is generated again, so the figures are of this one.
const version = checkpointVersionOf(join(dir, CHECKPOINT_FILE));
if (!existsSync(join(dir, 'hsstar.json')) || version !== CHECKPOINT_VERSION) {
  if (existsSync(join(dir, 'hsstar.json'))) console.log(`the kept run in ${dir} has a checkpoint of version ${version}; this one writes ${CHECKPOINT_VERSION}: generating it again`);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const g = child('generate.ts', [dir, String(problems)]);
  console.log(`generated ${g.responses} responses for ${g.problems} problems in ${Number(g.seconds).toFixed(1)} s (store append API)`);
} else {
  console.log(`reusing the run in ${dir}`);
}
const mb = (f: string) => (statSync(join(dir, f)).size / 1e6).toFixed(0);
console.log(`project folder: responses.jsonl ${mb('responses.jsonl')} MB, scores.jsonl ${mb('scores.jsonl')} MB`);

const m = child('measure.ts', [dir, base]);
const s = (k: string) => Number(m[k]).toFixed(2);
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
console.log(`scale: ${m.problems} problems, ${m.responses} responses`);
console.log(`open:    ${s('openSeconds')} s (index ${s('indexSeconds')} s + read model ${s('deriveSeconds')} s), peak RSS ${m.openRssMB} MB  [target with a current checkpoint < 2 s, < 1024 MB: ${verdict(Number(m.openSeconds) < 2 && Number(m.openRssMB) < 1024)}]`);
console.log(`         ${JSON.stringify(m.checkpoint)}  (checkpoint: used, and the log bytes read after it; or why not)`);
console.log(`follow:  ${s('catchUpSeconds')} s to read the ${m.followedResponses} responses (and grades) another process appended, then ${s('followDeriveSeconds')} s to derive the read model again  [target < 0.5 s for both: ${verdict(Number(m.catchUpSeconds) + Number(m.followDeriveSeconds) < 0.5)}]`);
console.log(`relabel: ${s('relabelSeconds')} s after a threshold change (labels ${JSON.stringify(m.labelsBefore)} -> ${JSON.stringify(m.labelsAfter)}; pairs ${m.pairsBefore} -> ${m.pairsAfter}); back: ${s('relabelBackSeconds')} s  [target < 1 s: ${verdict(Number(m.relabelSeconds) < 1)}]`);
console.log(`export:  ${s('exportSeconds')} s for ${m.exportedPairs} pairs (TRL conversational)  [target < 30 s: ${verdict(Number(m.exportSeconds) < 30)}]`);
console.log(`peak RSS of the whole measuring process: ${m.peakRssMB} MB`);
const c = m.cpuSeconds as Record<string, number>;
console.log(`CPU seconds (wall time above also counts waiting for a core): ${Object.entries(c).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
