/**
 * The crash-and-fault soak: the real `hsstar run` process against the test server behind a
 * chaos proxy (random faults of every kind, random latency), killed with SIGKILL at random
 * moments and started again each time, then run to the end. It returns what it measured;
 * the caller asserts.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { startTestServer } from '../support/test-server';
import { startChaosProxy, type ChaosFault, type ChaosStats } from './chaos-proxy';
import { ProjectStore } from '../../src/store/project';
import { approveRunEndpoints } from '../../src/store/key-approvals';
import { readDataset } from '../../src/store/dataset/index';
import { RunSettings, type Problem } from '../../src/core/schema/index';
import { seededRandom } from '../../src/core/random';

const ROOT = new URL('../../', import.meta.url).pathname;
const MATH500 = join(ROOT, 'test/fixtures/benchmarks/math500.jsonl');
const WRONG = '-987654321';

export interface SoakOptions {
  problems: number;
  N: number;
  presample: number;
  kills: number;
  /** A kill lands this long after the process's first request (ms, uniform). */
  killWindowMs: [number, number];
  faultRate: number;
  latencyMs: [number, number];
  faults: readonly ChaosFault[];
  /** `hsstar run --request-timeout`: how long a hung request holds a slot. */
  requestTimeoutS: number;
  seed: number;
  log?: (line: string) => void;
}

export interface KillRecord {
  /** After the first request of that process. */
  afterMs: number;
  /** From spawn to the first request. */
  startupMs: number | null;
  /** Policy samples in flight at the proxy when the process died. */
  inFlight: number;
  /** Policy samples delivered in the half second before the kill (maybe not yet on disk). */
  justDelivered: number;
}

export interface SoakResult {
  dir: string;
  problems: number;
  expected: number;
  kills: KillRecord[];
  /** Runs that ended by themselves before the final one (exit code 1: failures to retry). */
  earlyExits: number;
  finalRuns: number;
  seconds: number;
  chaos: ChaosStats;
  /** Every request the server side saw (policy and PRM), faults included. */
  requests: number;
  stored: number;
  /** Response ids that appear on more than one line of responses.jsonl. */
  duplicateLines: number;
  /** Slots missing below a problem's planned target. */
  missing: number;
  /** Problems whose response count differs from the plan's target. */
  offTarget: number;
  ungraded: number;
  unscored: number;
  /** Lines of any log that do not parse (must be 0). */
  badLines: string[];
  /** Samples the server delivered beyond those stored: bought but lost at a kill. */
  wasted: number;
  /** The most that may be lost: what was in flight or just delivered at each kill. */
  wasteBound: number;
  boundary: number;
  labels: Record<string, number>;
}

async function problemsOf(n: number): Promise<Problem[]> {
  const out: Problem[] = [];
  for await (const p of readDataset(MATH500)) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
}

/** The CLI exactly as it ships: src/cli/bin.ts bundled as scripts/build.mjs does it. */
async function bundleCli(into: string): Promise<string> {
  const out = join(into, 'cli.cjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'src/cli/bin.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  // The grading threads' and the sampling thread's scripts, beside the CLI as in dist/.
  for (const [source, name] of [
    ['src/pipeline/grading/grade-worker.ts', 'grade-worker.js'],
    ['src/endpoints/sampling-thread/sampling-worker.ts', 'sampling-worker.js'],
  ]) {
    await esbuild.build({ entryPoints: [join(ROOT, source!)], outfile: join(into, name!), bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  }
  copyFileSync(createRequire(import.meta.url).resolve('@cortex-js/compute-engine'), join(into, 'compute-engine.cjs'));
  return out;
}

interface RunOnce {
  code: number | null;
  killed: boolean;
  stderr: string;
  /** Milliseconds from spawn to the first request the proxy saw (null: none). */
  startupMs: number | null;
}

/**
 * Runs `hsstar run DIR --request-timeout S` once. With `killAfterMs`, the process is killed that long after its
 * first request reaches the server, so kills land while requests are in flight, not while
 * the process is still starting.
 */
function runOnce(cli: string, args: string[], env: NodeJS.ProcessEnv, requestsSeen: () => number, killAfterMs: number | null, onKill: () => void): Promise<RunOnce> {
  return new Promise((resolve) => {
    const started = Date.now();
    const before = requestsSeen();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 20_000) stderr += String(d);
    });
    let killed = false;
    let startupMs: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      if (startupMs !== null || requestsSeen() === before) return;
      startupMs = Date.now() - started;
      if (killAfterMs === null) return;
      timer = setTimeout(() => {
        killed = true;
        onKill();
        child.kill('SIGKILL');
      }, killAfterMs);
    }, 5);
    child.on('exit', (code) => {
      clearInterval(watch);
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stderr, startupMs });
    });
  });
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => {});
  const started = Date.now();
  const random = seededRandom(o.seed);
  const work = mkdtempSync(join(tmpdir(), 'hsstar-soak-'));
  const problems = await problemsOf(o.problems);
  const answers = new Map(problems.map((p, i) => [p.question, { answer: p.answer, kind: i % 3 }]));

  // Problems of kind 0 are always solved, kind 1 never, kind 2 half the time: all three labels occur.
  const server = await startTestServer({
    record: 0,
    capacity: 256,
    policy: ({ prompt, n }) => {
      const a = answers.get(prompt);
      return Array.from({ length: n }, () => {
        const right = a ? (a.kind === 0 ? true : a.kind === 1 ? false : random() < 0.5) : false;
        return `First, read the problem.\n\nThen compute.\n\nThe answer is \\boxed{${right ? a!.answer : WRONG}}.`;
      });
    },
    stepScores: (_q, steps) => steps.map(() => (steps.at(-1)?.includes(WRONG) ? 0.1 : 0.9)),
  });
  const proxy = await startChaosProxy({ upstream: server.url, faultRate: o.faultRate, latencyMs: o.latencyMs, random, faults: o.faults });
  const dir = join(work, 'run');
  try {
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: MATH500, sha256: '0'.repeat(64) },
      policy: { baseURLs: [`${proxy.url}/v1`], model: 'policy', nPerRequest: 1 },
      prm: { protocol: 'http-json', baseURLs: [`${proxy.url}/prm`], model: 'prm' },
      budget: { N: o.N, presample: o.presample },
      thresholds: { tauLow: 0.15, tauHigh: 0.65 },
      concurrency: { policy: 16, prm: 16, reward: 4 },
    });
    await (await ProjectStore.create(dir, settings, problems)).close();
    // The run is created here, so its endpoints are approved as init approves them, in the soak's own config folder.
    const env = { HSSTAR_CONFIG_DIR: join(work, 'config') };
    await approveRunEndpoints(env, settings);
    const cli = await bundleCli(work);
    const runArgs = ['run', dir, '--request-timeout', String(o.requestTimeoutS)];

    const kills: KillRecord[] = [];
    let earlyExits = 0;
    while (kills.length < o.kills) {
      const [lo, hi] = o.killWindowMs;
      const after = Math.round(lo + random() * (hi - lo));
      const r = await runOnce(cli, runArgs, env, () => proxy.stats.received, after, () => {
        const now = Date.now();
        const justDelivered = proxy.stats.deliveries.filter((d) => now - d.at <= 500).reduce((a, d) => a + d.samples, 0);
        kills.push({ afterMs: after, startupMs: null, inFlight: proxy.policyInFlight(), justDelivered });
      });
      if (r.killed) kills[kills.length - 1]!.startupMs = r.startupMs;
      if (!r.killed) {
        if (r.code === 0) throw new Error(`the run completed after ${kills.length} kills; give the soak more work`);
        earlyExits++;
        if (earlyExits > o.kills) throw new Error(`the run keeps failing: ${r.stderr.slice(-2000)}`);
      }
      if (kills.length % 5 === 0 && r.killed) log(`killed ${kills.length}/${o.kills}; server saw ${proxy.stats.received} requests`);
    }
    let finalRuns = 0;
    for (;;) {
      finalRuns++;
      const r = await runOnce(cli, runArgs, env, () => proxy.stats.received, null, () => {});
      if (r.code === 0) break;
      if (finalRuns >= 10) throw new Error(`the run did not complete after ${finalRuns} tries: ${r.stderr.slice(-2000)}`);
    }
    const found = await inspect(dir, o, problems);
    return {
      ...found,
      dir: work,
      kills,
      earlyExits,
      finalRuns,
      seconds: (Date.now() - started) / 1000,
      chaos: proxy.stats,
      requests: proxy.stats.received,
      wasted: proxy.stats.samplesDelivered - found.stored,
      wasteBound: kills.reduce((a, k) => a + k.inFlight + k.justDelivered, 0),
    };
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** Reads the folder back: counts, gaps, duplicates, and a parse of every line of every log. */
async function inspect(dir: string, o: SoakOptions, problems: Problem[]) {
  const { ResponseRecord, ScoreLogRecord, EventRecord } = await import('../../src/core/schema/records');
  const { Problem: ProblemSchema } = await import('../../src/core/schema/problem');
  const { stateOf } = await import('../../src/pipeline/derive-from-store');
  const badLines: string[] = [];
  const lineCounts = new Map<string, number>();
  const files: [string, { safeParse(v: unknown): { success: boolean } }][] = [
    ['problems.jsonl', ProblemSchema],
    ['responses.jsonl', ResponseRecord],
    ['scores.jsonl', ScoreLogRecord],
    ...readdirSync(join(dir, 'events')).filter((n) => n.endsWith('.jsonl')).map((n): [string, typeof EventRecord] => [join('events', n), EventRecord]),
  ];
  for (const [name, schema] of files) {
    const text = readFileSync(join(dir, name), 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) badLines.push(`${name}: last line has no newline`);
    text.split('\n').forEach((line, i) => {
      if (line === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        badLines.push(`${name}:${i + 1}: not JSON`);
        return;
      }
      if (!schema.safeParse(v).success) badLines.push(`${name}:${i + 1}: not a record`);
      if (name === 'responses.jsonl') {
        const id = (v as { id: string }).id;
        lineCounts.set(id, (lineCounts.get(id) ?? 0) + 1);
      }
    });
  }
  JSON.parse(readFileSync(join(dir, 'hsstar.json'), 'utf8'));
  const duplicateLines = [...lineCounts.values()].reduce((a, n) => a + (n - 1), 0);

  const { store } = await ProjectStore.open(dir, { write: false });
  try {
    const state = stateOf(store);
    let missing = 0;
    let offTarget = 0;
    let ungraded = 0;
    let unscored = 0;
    for (const p of problems) {
      const target = state.budget.plan.targets.get(p.id) ?? 0;
      const rs = store.responsesOf(p.id);
      const slots = new Set(rs.map((r) => r.slot));
      for (let s = 0; s < target; s++) if (!slots.has(s)) missing++;
      if (rs.length !== target) offTarget++;
      for (const r of rs) {
        if (!store.grade(r.id)) ungraded++;
        if (!store.prm(r.id)) unscored++;
      }
    }
    return {
      problems: problems.length,
      expected: o.N * problems.length,
      stored: store.responseCount,
      duplicateLines,
      missing,
      offTarget,
      ungraded,
      unscored,
      badLines,
      boundary: state.counts.boundary,
      labels: { ...state.counts },
    };
  } finally {
    await store.close();
  }
}

export function cleanUp(r: SoakResult): void {
  rmSync(r.dir, { recursive: true, force: true });
}
