// Grader benchmark. Prints, in this order:
// 1. the per-category agreement table of the three corpora (public conventions, renderings of
//    every benchmark gold answer, rewrites), as kept in docs/grader.md;
// 2. the whole `hsstar grade` process (the built dist/cli.js, as users run it) on one core
//    (`taskset -c 0`): 40,000 real responses, and the convention corpus ten times over —
//    pairs/s by wall clock and by the process's own CPU time;
// 3. the CPU time the symbolic engine's load adds to a process that needs it;
// 4. p50/p99/max latency of one verdict in process (the engine already loaded by step 1);
// 5. the hostile inputs of bench/grader/pathological.ts, each case's time (target ≤ 50 ms).
// Usage: npm run bench:grader [-- --record-floor]   (targets: ≥ 20,000 pairs/s; max ≤ 5,000 ms)
// --record-floor writes the agreement of every category to test/fixtures/answer/agreement-floor.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeResponse, isEquivalent, DEFAULT_TIMEOUT_MS } from '../../src/core/answer/index';
import { agreementByCategory, agreementTable, floorOf, FLOOR_FILE } from '../../test/fixtures/answer/agreement';
import { buildConventionCorpus } from '../../test/fixtures/answer/public-conventions';
import { buildRewriteCorpus } from '../../test/fixtures/answer/rewrite-corpus';
import { benchPathological } from './pathological';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAL = join(ROOT, 'media/demo/math_cot_50.jsonl');
const CLI = join(ROOT, 'dist/cli.js');
const MIN_SECONDS = 1.5;
/** Passes over the 400 real responses fed to the process: 40,000 lines. */
const REAL_PASSES = 100;
/** Passes over the convention corpus: about 24,000 lines, so start-up does not dominate. */
const CONVENTION_PASSES = 10;
const TARGET_PAIRS_PER_SECOND = 20_000;

interface Row {
  gt: string;
  response: string[];
}

const out = (s: string) => process.stdout.write(s + '\n');

// 1. Agreement per category.
const rows = agreementByCategory();
out(agreementTable(rows));
if (process.argv.includes('--record-floor')) {
  writeFileSync(FLOOR_FILE, JSON.stringify(floorOf(rows), null, 2) + '\n');
  out(`floor recorded in ${fileURLToPath(FLOOR_FILE)}`);
}

// 2. The whole process, on one core.
const real = readFileSync(REAL, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row)
  .flatMap((r) => r.response.map((text) => ({ text, gt: r.gt })));

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'ignore' });
const oneCore = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const work = mkdtempSync(join(tmpdir(), 'hsstar-bench-grader-'));

/** Runs `hsstar grade` on `lines` under `sh`, whose `times` reports the child's CPU seconds. */
function runGrade(name: string, lines: string[]) {
  const input = join(work, `${name}.jsonl`);
  const output = join(work, `${name}.out.jsonl`);
  writeFileSync(input, lines.join('\n') + '\n');
  const run = `${oneCore ? 'taskset -c 0 ' : ''}"${process.execPath}" "${CLI}" grade < "${input}" > "${output}"; echo "exit $?"; times`;
  const start = performance.now();
  const r = spawnSync('sh', ['-c', run], { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  const report = r.stdout.trim().split('\n');
  const exit = report[0];
  // `times` prints the shell's own times, then its children's: "0m1.050s 0m0.180s".
  const [user, sys] = (report[report.length - 1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  });
  const verdicts = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { equal: boolean });
  if (exit !== 'exit 0' || verdicts.length !== lines.length) throw new Error(`hsstar grade on ${name}: ${exit}, ${verdicts.length} of ${lines.length} lines`);
  return { wall, cpu: user! + sys!, verdicts };
}

function gradeProcess(name: string, lines: string[], expectedEqual: number) {
  const { wall, cpu, verdicts } = runGrade(name, lines);
  const equal = verdicts.filter((v) => v.equal).length;
  if (equal !== expectedEqual) throw new Error(`hsstar grade on ${name}: ${equal} equal, in process ${expectedEqual}`);
  const figures = {
    process: `hsstar grade, ${name}`,
    core: oneCore ? 'taskset -c 0' : 'any (taskset not found)',
    lines: lines.length,
    wallSeconds: +wall.toFixed(2),
    cpuSeconds: +cpu.toFixed(2),
    pairsPerSecondWall: Math.round(lines.length / wall),
    pairsPerSecondCpu: Math.round(lines.length / cpu),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
  out(JSON.stringify(figures));
  return figures;
}

const realLines = Array.from({ length: REAL_PASSES }, () => real.map((x) => JSON.stringify({ response: x.text, gt: x.gt }))).flat();
const realEqual = REAL_PASSES * real.filter((x) => gradeResponse(x.text, x.gt).correct).length;
const conventions = buildConventionCorpus();
const conventionLines = Array.from({ length: CONVENTION_PASSES }, () =>
  conventions.map((p) => JSON.stringify(p.response ? { response: p.pred, gt: p.gt } : { prediction: p.pred, gt: p.gt })),
).flat();
const conventionEqual = CONVENTION_PASSES * conventions.filter((p) => (p.response ? gradeResponse(p.pred, p.gt).correct : isEquivalent(p.pred, p.gt))).length;
const processes = [gradeProcess('real responses', realLines, realEqual), gradeProcess('public conventions', conventionLines, conventionEqual)];

// What the symbolic engine costs a process that needs it once: one line that loads it
// (a complex power the evaluator does not read) against one that does not, best of three.
const oneLine = (pred: string, gt: string) => Math.min(...[0, 1, 2].map(() => runGrade('one line', [JSON.stringify({ prediction: pred, gt })]).cpu));
out(JSON.stringify({ symbolicEngineLoadCpuSeconds: +(oneLine('(1+i)^2', '2i') - oneLine('2', '2')).toFixed(2) }));
rmSync(work, { recursive: true, force: true });

// 4. Latency of one verdict, in process.
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `grade` over all items repeatedly for at least MIN_SECONDS; times each call. */
function measure<T>(name: string, items: T[], grade: (x: T) => unknown) {
  const latencies: number[] = [];
  let pairs = 0;
  const start = performance.now();
  do {
    for (const x of items) {
      const t = performance.now();
      grade(x);
      latencies.push(performance.now() - t);
    }
    pairs += items.length;
  } while (performance.now() - start < MIN_SECONDS * 1000);
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const figures = {
    corpus: name,
    pairs: items.length,
    passes: pairs / items.length,
    pairsPerSecond: Math.round(pairs / seconds),
    p50ms: +percentile(latencies, 50).toFixed(4),
    p99ms: +percentile(latencies, 99).toFixed(4),
    maxMs: +latencies[latencies.length - 1]!.toFixed(3),
  };
  out(JSON.stringify(figures));
  return figures;
}

const rewrites = buildRewriteCorpus();
const latencies = [
  measure('real responses (extract + compare)', real, (x) => gradeResponse(x.text, x.gt)),
  measure('public conventions', conventions, (p) => (p.response ? gradeResponse(p.pred, p.gt) : isEquivalent(p.pred, p.gt))),
  measure('rewrite corpus (compare)', rewrites, (x) => isEquivalent(x.pred, x.gt)),
  measure('pathological inputs only', rewrites.filter((p) => p.category === 'pathological'), (x) => isEquivalent(x.pred, x.gt)),
];

const slowest = Math.max(...latencies.map((l) => l.maxMs));
const cpuOk = processes.every((p) => p.pairsPerSecondCpu >= TARGET_PAIRS_PER_SECOND);
const wallOk = processes.every((p) => p.pairsPerSecondWall >= TARGET_PAIRS_PER_SECOND);
out(
  `targets (≥ ${TARGET_PAIRS_PER_SECOND} pairs/s for the hsstar grade process on one core, max ≤ ${DEFAULT_TIMEOUT_MS} ms): ` +
    `CPU time ${cpuOk ? 'met' : 'NOT met'}, wall clock ${wallOk ? 'met' : `NOT met (load average ${loadavg()[0]!.toFixed(1)})`}, ` +
    `slowest verdict ${slowest} ms ${slowest <= DEFAULT_TIMEOUT_MS ? 'met' : 'NOT met'}`,
);

// 5. Hostile inputs, one response at a time.
benchPathological(out);
