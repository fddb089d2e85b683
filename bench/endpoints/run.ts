/**
 * Sampling throughput of the path users run: the `hsstar run DIR --stage rde` process
 * (built CLI, real project store, grading, progress) against a local server that serves C
 * requests at once, each taking L ms; requests beyond C wait in the server's queue (as in
 * vLLM, whose batch limit is max-num-seqs), so the server-limited ideal is requests × L / C.
 * Beside it, in the same run and on the same server, a plain `node:http` client sends the
 * same requests and only parses the replies: the floor any client on this machine can reach.
 *
 * Prints, for n = 4 and n = 1 samples per request: wall time as a ratio of the ideal, and
 * CPU per response, for the whole process and for its main thread (the event loop; the rest
 * is the sampling thread, the grading workers, the garbage collector's and the compiler's
 * threads). Targets
 * (whole process): ratio ≥ 0.80 on a 2-core machine, main-thread CPU ≤ 0.12 ms per
 * response at n = 4. The server runs in its own process, so its CPU is not counted.
 *
 *   npm run bench:endpoints     (C = 256, L = 100 ms, 10,000 requests; BENCH_C, BENCH_L, BENCH_REQUESTS)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { cpus, loadavg, tmpdir } from 'node:os';
import { COPY_MARK, recordedProblems } from './server-main';

const C = Number(process.env.BENCH_C ?? 256);
const L = Number(process.env.BENCH_L ?? 100);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
/** Pre-samples per problem: with n = 4 one request per problem, with n = 1 four. */
const PRESAMPLE = 4;
const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli.js');

const serverProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server-main.ts'), JSON.stringify({ latencyMs: L, capacity: C })], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve) => createInterface({ input: serverProcess.stdout! }).once('line', resolve));
const { v1 } = JSON.parse(first) as { v1: string };

const serverCpuMs = () => cpuMs(`/proc/${serverProcess.pid}/stat`);

/** utime + stime (and, with `children`, of waited-for children) of a process or thread, in ms; Linux /proc. */
function cpuMs(statPath: string, children = false): number {
  try {
    const f = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    const ticks = children ? Number(f[13]) + Number(f[14]) : Number(f[11]) + Number(f[12]);
    return ticks * 10; // 100 ticks per second
  } catch {
    return NaN;
  }
}

const recorded = recordedProblems();
function question(i: number): string {
  return `${recorded[i % recorded.length]!.question}${COPY_MARK}${i})`;
}

/** The plain client: same server, same request bodies, C at once, keep-alive; parse and count. */
async function plainClient(requests: number, n: number): Promise<{ seconds: number; cpuMs: number; responses: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: C });
  const url = new URL(`${v1}/chat/completions`);
  const post = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ model: 'bench', n, temperature: 0.7, top_p: 0.95, max_tokens: 2048, messages: [{ role: 'user', content: question(i) }], stream: false });
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { choices: unknown[] }).choices.length));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let responses = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < requests) {
        const got = await post(next++);
        responses += got;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { seconds, cpuMs: (cpu.user + cpu.system) / 1000, responses };
}

/** `hsstar init` then `hsstar run --stage rde` as a user types them; the run is timed from spawn to exit. */
async function hsstarRun(requests: number, n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-bench-endpoints-'));
  try {
    const problems = (requests * n) / PRESAMPLE;
    const rows = Array.from({ length: problems }, (_, i) => JSON.stringify({ id: `b${i}`, question: question(i), answer: recorded[i % recorded.length]!.gt }));
    writeFileSync(join(dir, 'data.jsonl'), rows.join('\n') + '\n');
    const args = ['init', join(dir, 'run'), '--dataset', join(dir, 'data.jsonl'), '--policy-url', v1, '--policy-model', 'bench'];
    args.push('--presample', String(PRESAMPLE), '--budget', '8', '--n-per-request', String(n), '--concurrency', String(C));
    // The run's endpoint approval (init gives it) goes to the bench's folder, not the user's config.
    const env = { ...process.env, HSSTAR_CONFIG_DIR: join(dir, 'config') };
    const init = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
    if (init.status !== 0) throw new Error(`hsstar init failed: ${init.stderr}`);

    const children0 = cpuMs('/proc/self/stat', true);
    const server0 = serverCpuMs();
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, 'run', join(dir, 'run'), '--stage', 'rde'], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // The main thread's CPU can only be read while the process lives: sampled until it exits
    // (what it spends after the last sample, closing files, is left out: at most a few ms).
    let mainMs = 0;
    const poll = setInterval(() => {
      const v = cpuMs(`/proc/${child.pid}/task/${child.pid}/stat`);
      if (Number.isFinite(v)) mainMs = v;
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(poll);
    const totalMs = cpuMs('/proc/self/stat', true) - children0;
    const serverMs = serverCpuMs() - server0;
    if (code !== 0) throw new Error(`hsstar run exited ${code}: ${stderr}`);
    const log = (name: string) => readFileSync(join(dir, 'run', name), 'utf8').split('\n').filter((l) => l).length;
    const responses = log('responses.jsonl');
    const grades = readFileSync(join(dir, 'run', 'scores.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"kind":"grade"')).length;
    if (responses !== problems * PRESAMPLE || grades !== responses) throw new Error(`expected ${problems * PRESAMPLE} responses and grades, found ${responses} and ${grades}`);
    return { seconds, totalMs, mainMs, responses, serverMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  const ideal = (REQUESTS * L) / 1000 / C;
  console.log(`endpoints bench: server capacity C = ${C} requests at once, latency L = ${L} ms, ${REQUESTS} requests: ideal ${ideal.toFixed(2)} s`);
  console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (the server process shares them)`);
  // Warm the server (its JIT, its connection handling) before anything is timed.
  await plainClient(Math.min(REQUESTS, 4 * C), 4);
  for (const n of [4, 1]) {
    const plain = await plainClient(REQUESTS, n);
    const run = await hsstarRun(REQUESTS, n);
    console.log(`n = ${n}: ${run.responses} responses in ${REQUESTS} requests`);
    console.log(
      `  plain node:http client   ${plain.seconds.toFixed(2)} s = ${(ideal / plain.seconds).toFixed(3)} of ideal; CPU ${(plain.cpuMs / plain.responses).toFixed(3)} ms/response`,
    );
    const line = (label: string, r: Awaited<ReturnType<typeof hsstarRun>>) =>
      `  ${label.padEnd(24)} ${r.seconds.toFixed(2)} s = ${(ideal / r.seconds).toFixed(3)} of ideal (target ≥ 0.80); CPU ${(r.totalMs / 1000).toFixed(2)} s = ` +
      `${(r.totalMs / r.responses).toFixed(3)} ms/response, main thread ${(r.mainMs / 1000).toFixed(2)} s = ${(r.mainMs / r.responses).toFixed(3)} ms/response${n === 4 ? ' (target ≤ 0.12)' : ''}`;
    console.log(line('hsstar run (process)', run));
    console.log(`  the server's own CPU meanwhile: ${(run.serverMs / 1000).toFixed(2)} s (${(run.serverMs / REQUESTS).toFixed(3)} ms/request), on the same cores`);
  }
} finally {
  serverProcess.kill('SIGTERM');
}
