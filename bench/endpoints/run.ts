/**
 * Engine throughput against a server limited to C requests at once, each taking L ms.
 * The ideal is C / L requests per second; prints the achieved rate as a ratio of it and
 * the client's CPU time per response. Targets: ratio ≥ 0.95, CPU ≤ 0.2 ms per response.
 * The server runs in a child process so its CPU is not counted.
 *
 *   npm run bench:endpoints            (C = 256, L = 100 ms)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PolicySampler } from '../../src/endpoints/policy-sampler';
import { sampleResponses, type SamplingWork } from '../../src/pipeline/engine/sample-responses';
import type { Response } from '../../src/core/schema/response';

const C = Number(process.env.BENCH_C ?? 256);
const L = Number(process.env.BENCH_L ?? 100);
const WAVES = Number(process.env.BENCH_WAVES ?? 12);

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

async function measure(n: number, waves: number) {
  const sampler = new PolicySampler({ baseURL: v1, model: 'bench' });
  const responses = C * n * waves;
  let written = 0;
  const sink = async (rs: Response[]) => {
    written += rs.length;
  };
  const cpu0 = process.cpuUsage();
  const server0 = serverCpuMs();
  const t0 = performance.now();
  const summary = await sampleResponses({ samplers: [sampler], work: work(responses, n), nPerRequest: n, concurrency: C, onResponses: sink });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serverMs = serverCpuMs() - server0;
  if (summary.progress.done !== responses || written !== responses) throw new Error(`only ${written} of ${responses} done`);
  const ideal = (C * n) / (L / 1000);
  return { n, responses, seconds, perSecond: responses / seconds, ratio: responses / seconds / ideal, cpuMsPerResponse: (cpu.user + cpu.system) / 1000 / responses, sysMsPerResponse: cpu.system / 1000 / responses, serverMsPerRequest: serverMs / (responses / n) };
}

try {
  // Warm-up: open the connections and let the JIT compile the request path (the first
  // thousand requests cost several times the steady state).
  for (const n of [1, 4]) await measure(n, 4);
  console.log(`endpoints bench: C = ${C}, L = ${L} ms, ideal = C·n/L responses/s; load average ${loadavg()[0]!.toFixed(1)}`);
  for (const n of [1, 4]) {
    const r = await measure(n, WAVES);
    console.log(
      `n=${r.n}: ${r.responses} responses in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(0)}/s, ` +
        `ratio to ideal ${r.ratio.toFixed(3)} (target ≥ 0.95), client CPU ${r.cpuMsPerResponse.toFixed(3)} ms/response (target ≤ 0.2; ${r.sysMsPerResponse.toFixed(3)} in the kernel); server CPU ${r.serverMsPerRequest.toFixed(3)} ms/request`,
    );
  }
} finally {
  serverProcess.kill('SIGTERM');
}
