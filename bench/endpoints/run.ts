/**
 * Engine throughput against a server that serves C requests at once, each taking L ms;
 * requests beyond C wait in the server's queue (as in vLLM, whose batch limit is
 * max-num-seqs). A response is one sample; a request asking for n samples returns n, so
 * the server-limited ideal is C·n/L responses per second. Prints the achieved rate as a
 * ratio of it and the client's CPU time per response. Targets: ratio ≥ 0.95, CPU ≤ 0.2 ms
 * per response. The server runs in a child process so its CPU is not counted.
 *
 * Two client settings are measured: concurrency = C, where each of the server's slots
 * idles for a round trip and for its turn in the burst of replies after every wave, and
 * concurrency = 2C, where the server's queue holds as many requests as it serves, so it
 * never runs dry even when the client is off the CPU for a while on a busy machine (how a
 * run should be set against a server with a batch limit). The target is read on the second.
 *
 *   npm run bench:endpoints            (C = 256, L = 100 ms; BENCH_C, BENCH_L, BENCH_WAVES, BENCH_QUEUE)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { PolicySampler } from '../../src/endpoints/policy-sampler';
import { sampleResponses, type SamplingWork } from '../../src/pipeline/engine/sample-responses';
import type { Response } from '../../src/core/schema/response';

const C = Number(process.env.BENCH_C ?? 256);
const L = Number(process.env.BENCH_L ?? 100);
const WAVES = Number(process.env.BENCH_WAVES ?? 30);
// Requests kept waiting in the server's queue, as a fraction of C (BENCH_QUEUE, default 1).
const HEADROOM = C + Math.ceil(C * Number(process.env.BENCH_QUEUE ?? 1));

const serverProcess = spawn(
  process.execPath,
  ['--import', 'tsx', join(import.meta.dirname, '../../test/support/test-server-main.ts'), JSON.stringify({ latencyMs: L, capacity: C })],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const first = await new Promise<string>((resolve) => createInterface({ input: serverProcess.stdout! }).once('line', resolve));
const { v1 } = JSON.parse(first) as { v1: string };

/** The server process's CPU in ms (Linux /proc; 0 elsewhere), to tell a slow client from a busy machine. */
function serverCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${serverProcess.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
  } catch {
    return 0;
  }
}

function work(responses: number, n: number): SamplingWork[] {
  return Array.from({ length: responses / n }, (_, p) => ({
    problemId: `p${p}`,
    question: `What is ${p} + ${p}?`,
    slots: Array.from({ length: n }, (_, s) => s),
    stage: 'pre' as const,
  }));
}

async function measure(n: number, waves: number, concurrency: number) {
  const sampler = new PolicySampler({ baseURL: v1, model: 'bench' });
  const responses = C * n * waves;
  let written = 0;
  // When each tenth of the responses was written: the steady-state rate is read between the
  // first and the last tenth, leaving out the ramp-up (the first wave of requests leaves the
  // client one by one) and the drain (the last wave finishes with fewer requests in flight).
  const tenth = responses / 10;
  const marks: number[] = [];
  const sink = async (rs: Response[]) => {
    written += rs.length;
    while (marks.length < 10 && written >= (marks.length + 1) * tenth) marks.push(performance.now());
  };
  const cpu0 = process.cpuUsage();
  const server0 = serverCpuMs();
  const t0 = performance.now();
  const summary = await sampleResponses({ samplers: [sampler], work: work(responses, n), nPerRequest: n, concurrency, onResponses: sink });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serverMs = serverCpuMs() - server0;
  if (summary.progress.done !== responses || written !== responses) throw new Error(`only ${written} of ${responses} done`);
  const ideal = (C * n) / (L / 1000);
  const steady = (8 * tenth) / ((marks[8]! - marks[0]!) / 1000);
  return { n, concurrency, responses, seconds, perSecond: steady, ratio: steady / ideal, wholeRatio: responses / seconds / ideal, cpuMsPerResponse: (cpu.user + cpu.system) / 1000 / responses, sysMsPerResponse: cpu.system / 1000 / responses, serverMsPerRequest: serverMs / (responses / n) };
}

try {
  // Warm-up: open the connections and let the JIT compile the request path (the first
  // thousands of requests cost up to twice the steady state; the compiler threads count as
  // client CPU). BENCH_WARMUP waves of each n, default 10.
  for (const n of [1, 4]) await measure(n, Number(process.env.BENCH_WARMUP ?? 10), HEADROOM);
  console.log(`endpoints bench: server capacity C = ${C} requests at once, latency L = ${L} ms; a request with n samples returns n responses,`);
  console.log(`so the ideal is C·n/L responses/s (n=1: ${(C / (L / 1000)).toFixed(0)}/s, n=4: ${((4 * C) / (L / 1000)).toFixed(0)}/s); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  for (const concurrency of [C, HEADROOM]) {
    for (const n of [1, 4]) {
      const r = await measure(n, WAVES, concurrency);
      console.log(
        `client concurrency ${r.concurrency}, n=${r.n}: ${r.responses} responses in ${r.seconds.toFixed(2)} s; steady ${r.perSecond.toFixed(0)}/s = ` +
          `${r.ratio.toFixed(3)} of ideal (target ≥ 0.95; whole run with ramp-up and drain ${r.wholeRatio.toFixed(3)}); client CPU ${r.cpuMsPerResponse.toFixed(3)} ms/response (target ≤ 0.2; ${r.sysMsPerResponse.toFixed(3)} in the kernel); server CPU ${r.serverMsPerRequest.toFixed(3)} ms/request`,
      );
    }
  }
} finally {
  serverProcess.kill('SIGTERM');
}
