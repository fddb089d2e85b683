// Pipeline benchmark: 10,000 problems × 8 responses (N = 8, n_p = 3, every problem Boundary)
// against the local test server at zero latency, PRM over http-json. Prints the total
// seconds, a network-only baseline (the same requests through the same clients at the same
// concurrency, no pipeline), and the pipeline's own share: grading, splitting, scoring
// bookkeeping and the store's writes. Target: ≤ 2 ms of pipeline overhead per response.
// Usage: npm run bench:pipeline   (PROBLEMS=2000 for a shorter run)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSettings, type Problem } from '../../src/core/schema/index';
import { splitSteps } from '../../src/core/steps';
import { ProjectStore } from '../../src/store/project';
import { createClients } from '../../src/pipeline/clients';
import { approveRunEndpoints } from '../../src/store/key-approvals';
import { runPipeline } from '../../src/pipeline/run-pipeline';
import { startTestServer } from '../../test/support/test-server';

const PROBLEMS = Number(process.env.PROBLEMS ?? 10_000);
const N = 8;
const PRESAMPLE = 3;
const CONCURRENCY = 32;

const problems: Problem[] = Array.from({ length: PROBLEMS }, (_, i) => ({
  id: `p${i}`,
  question: `Problem ${i}: what is ${i} + 7?`,
  answer: String(i + 7),
  source: { file: 'bench.jsonl', line: i + 1 },
}));
const answerOf = new Map(problems.map((p) => [p.question, p.answer]));

// Slot k of a problem is right when k is even: pre-samples right, wrong, right → Boundary.
const served = new Map<string, number>();
const text = (question: string, k: number) =>
  `First we read the problem.\n\nThen we add the numbers carefully.\n\nThe answer is (attempt ${k}) \\boxed{${k % 2 === 0 ? answerOf.get(question) : 'nope'}}.`;
const server = await startTestServer({
  record: 0,
  policy: ({ prompt, n }) =>
    Array.from({ length: n }, () => {
      const k = served.get(prompt) ?? 0;
      served.set(prompt, k + 1);
      return text(prompt, k);
    }),
  stepScores: (_q, steps) => steps.map((_, i) => 0.5 + i / 100),
});
const dir = await mkdtemp(join(tmpdir(), 'hsstar-bench-pipeline-'));
try {
  const settings = RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'bench.jsonl', sha256: 'd'.repeat(64) },
    policy: { baseURLs: [server.v1], model: 'policy', nPerRequest: 4 },
    prm: { protocol: 'http-json', baseURLs: [`${server.url}/prm`], model: 'prm' },
    budget: { N, presample: PRESAMPLE },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    concurrency: { policy: CONCURRENCY, prm: CONCURRENCY, reward: CONCURRENCY },
  });

  // Network baseline: the same number of requests, same clients, same concurrency, nothing else.
  // The bench creates the run here: its endpoints approved, in the bench's own config folder.
  const env = { HSSTAR_CONFIG_DIR: join(dir, 'config') };
  await approveRunEndpoints(env, settings);
  const clients = createClients(settings, env);
  const policy = clients.policy[0]!;
  const prm = clients.prm[0]!;
  const sampleRequests: number[] = [];
  for (const want of [PRESAMPLE, N - PRESAMPLE]) for (let i = 0; i < PROBLEMS; i++) for (let left = want; left > 0; left -= 4) sampleRequests.push(Math.min(4, left));
  const steps = splitSteps(text(problems[0]!.question, 0));
  const pool = async (count: number, work: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }));
  };
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  const baseline = async () => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await pool(sampleRequests.length, (i) => policy.sample(problems[i % PROBLEMS]!.question, sampleRequests[i]!));
    await pool(PROBLEMS * N, () => prm.scoreSteps('q', steps));
    const seconds = (performance.now() - t) / 1000;
    served.clear();
    return { seconds, cpu: cpuSeconds(process.cpuUsage(cpu)) };
  };
  // Warm-up, unmeasured: the first requests pay for compiling the HTTP and client code.
  await pool(2000, (i) => policy.sample(problems[i % PROBLEMS]!.question, 4));
  await pool(4000, () => prm.scoreSteps('q', steps));
  served.clear();

  const before = await baseline();
  let store: ProjectStore | null = await ProjectStore.create(join(dir, 'run'), settings, problems);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await runPipeline({ store, clients: createClients(settings, env) });
  const total = (performance.now() - t) / 1000;
  const totalCpu = cpuSeconds(process.cpuUsage(cpu));
  const s = result.state;
  await store.close();
  store = null;
  const after = await baseline();
  // The mean of a baseline before and after the pipeline evens out drift in the machine's load.
  const network = (before.seconds + after.seconds) / 2;
  const networkCpu = (before.cpu + after.cpu) / 2;

  const responses = s.budget.spent;
  const overheadMs = ((total - network) * 1000) / responses;
  console.log(`pipeline: ${PROBLEMS} problems × ${N} responses (n_p = ${PRESAMPLE}), concurrency ${CONCURRENCY}, zero latency`);
  console.log(`status: ${result.status}; labels: ${s.counts.boundary} boundary, ${s.counts.inlier} inlier, ${s.counts.outlier} outlier; responses ${responses}; pairs ${s.pairs.length}`);
  console.log(`total: ${total.toFixed(2)} s (${((total * 1000) / responses).toFixed(3)} ms per response)`);
  console.log(`network baseline (same requests, no pipeline): ${network.toFixed(2)} s (before ${before.seconds.toFixed(2)} s, after ${after.seconds.toFixed(2)} s)`);
  console.log(`outside the network (grading, scoring, store): ${(total - network).toFixed(2)} s = ${((100 * (total - network)) / total).toFixed(1)} % of the total`);
  console.log(`pipeline overhead: ${overheadMs.toFixed(3)} ms per response, wall clock (target ≤ 2 ms)${overheadMs < 0 ? '; below zero: other load on the machine changed between the two runs' : ''}`);
  // CPU time is steadier than wall time on a shared machine: it counts only this process.
  const cpuOverheadMs = ((totalCpu - networkCpu) * 1000) / responses;
  console.log(`CPU: pipeline run ${totalCpu.toFixed(2)} s, network baseline ${networkCpu.toFixed(2)} s (client + in-process server): pipeline share ${((100 * (totalCpu - networkCpu)) / totalCpu).toFixed(1)} %, ${cpuOverheadMs.toFixed(3)} ms CPU per response`);
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
