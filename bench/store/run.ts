// Store benchmark: append N response records of ~1.5 KB, then reopen the folder in a fresh
// process, reading the log whole (the checkpoint moved aside) and then from the checkpoint
// the writer left. Prints records/s for writing, seconds and peak RSS for each open.
// Usage: npm run bench:store [-- N]   (default 1,000,000; targets: open < 10 s, < 1.5 GB RSS)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../src/store/project';
import { CHECKPOINT_FILE } from '../../src/store/log/checkpoint';
import { RunSettings } from '../../src/core/schema/settings';
import type { Problem } from '../../src/core/schema/problem';
import type { Response } from '../../src/core/schema/response';

const N = Number(process.argv[2] ?? 1_000_000);
const PROBLEMS = 12_500;
const BATCH = 2_000;
const IN_FLIGHT = 4;

const settings = RunSettings.parse({
  formatVersion: 1,
  dataset: { path: 'bench.jsonl', sha256: '0'.repeat(64) },
  policy: { baseURLs: ['http://127.0.0.1:8000/v1'], model: 'bench-policy' },
  budget: { N: 80, presample: 3 },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
});
const problems: Problem[] = Array.from({ length: PROBLEMS }, (_, i) => ({
  id: `bench-${i}`,
  question: `Compute the sum of the first ${i + 1} odd numbers.`,
  answer: String((i + 1) ** 2),
  source: { file: 'bench.jsonl', line: i + 1 },
}));

const steps = [
  'We need the sum of consecutive odd numbers, which we can pair up from both ends.',
  'Each pair adds up to the same total, and there are half as many pairs as terms.',
  'Multiplying the pair total by the number of pairs gives the square of the count.',
  'We double-check with a small case: 1 + 3 + 5 = 9 = 3^2, which matches the pattern.',
];
function response(i: number): Response {
  const p = i % PROBLEMS;
  const slot = Math.floor(i / PROBLEMS);
  // ~1.5 KB per record: a few steps of text, varied so lines differ.
  const text = `Response ${i}.\n\n` + Array.from({ length: 4 }, (_, k) => steps[(i + k) % 4]! + ` (${k}) `.repeat(42)).join('\n\n') + `\n\nSo the answer is \\boxed{${(p + 1) ** 2}}.`;
  return {
    id: `bench-${p}:${slot}`,
    problemId: `bench-${p}`,
    slot,
    stage: slot < 3 ? 'pre' : 're',
    text,
    finishReason: 'stop',
    usage: { prompt: 80, completion: 350 },
    model: 'bench-policy',
    latencyMs: 1000 + (i % 997),
    at: new Date(1_767_225_600_000 + i * 1000).toISOString(),
    round: 0,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'hsstar-bench-store-'));
try {
  const store = await ProjectStore.create(join(dir, 'run'), settings, problems);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  async function writer(): Promise<void> {
    while (next < N) {
      const start = next;
      next = Math.min(N, next + BATCH);
      const batch: Response[] = [];
      for (let i = start; i < next; i++) batch.push(response(i));
      await store.appendResponses(batch);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  const writeSeconds = (performance.now() - t0) / 1000;
  const writeCpu = process.cpuUsage(cpu0);
  const writeCpuSeconds = (writeCpu.user + writeCpu.system) / 1e6;
  await store.close();
  const bytes = statSync(join(dir, 'run', 'responses.jsonl')).size;
  console.log(`write: ${N.toLocaleString('en')} records, ${(bytes / N).toFixed(0)} B each, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${writeSeconds.toFixed(1)} s = ${Math.round(N / writeSeconds).toLocaleString('en')} records/s (${writeCpuSeconds.toFixed(1)} s CPU)`);

  const openOnce = (how: string) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'open-store.ts'), join(dir, 'run')], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const open = JSON.parse(child.stdout) as { seconds: number; cpuSeconds: number; peakRssMB: number; responses: number };
    console.log(`open ${how}:  ${open.responses.toLocaleString('en')} records in ${open.seconds.toFixed(2)} s (${open.cpuSeconds.toFixed(2)} s CPU), peak RSS ${open.peakRssMB.toFixed(0)} MiB (targets: < 10 s, < 1536 MiB)`);
    if (open.responses !== N) throw new Error(`reopened ${open.responses} records, wrote ${N}`);
  };
  const checkpoint = join(dir, 'run', CHECKPOINT_FILE);
  renameSync(checkpoint, `${checkpoint}.aside`);
  openOnce('reading the log whole');
  renameSync(`${checkpoint}.aside`, checkpoint);
  openOnce('from the checkpoint');
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
