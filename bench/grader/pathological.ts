// Grader benchmark, hostile inputs: every case of test/fixtures/answer/pathological.ts (long
// whitespace runs, braces 10,000 deep, repeated phrases, unclosed boxes, 1 MB of LaTeX,
// digit runs, \frac chains, answers at the normalisation cap, many-part answers) graded
// through gradeResponse, the extraction + comparison that `hsstar grade` and the pipeline's
// grading threads run. Each case is graded once to warm up (the symbolic engine's load is
// paid there, not counted), then TIMED_RUNS times; its median and slowest time are printed,
// by wall clock and by the process's CPU time (what one unshared core would take: on this
// shared 2-core machine the wall clock says more about the other load than about the grader).
// Run alone: node --import tsx bench/grader/pathological.ts   (target: slowest ≤ 50 ms)
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gradeResponse } from '../../src/core/answer/index';
import { gradeOptions, pathologicalCases } from '../../test/fixtures/answer/pathological';

export const TARGET_MS_PER_RESPONSE = 50;
const TIMED_RUNS = 5;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Times every hostile case; prints one line per case and a verdict; returns the slowest CPU time in ms. */
export function benchPathological(out: (line: string) => void): number {
  const cases = pathologicalCases();
  for (const c of cases) gradeResponse(c.response, c.gt, gradeOptions(c));
  let slowestCpu = 0;
  let slowestWall = 0;
  for (const c of cases) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      const [w, u] = [performance.now(), cpuMs()];
      gradeResponse(c.response, c.gt, gradeOptions(c));
      wall.push(performance.now() - w);
      cpu.push(cpuMs() - u);
    }
    slowestCpu = Math.max(slowestCpu, ...cpu);
    slowestWall = Math.max(slowestWall, ...wall);
    out(
      JSON.stringify({
        hostile: c.name,
        chars: c.response.length + c.gt.length,
        cpuMedianMs: +median(cpu).toFixed(2),
        cpuMaxMs: +Math.max(...cpu).toFixed(2),
        wallMedianMs: +median(wall).toFixed(2),
        wallMaxMs: +Math.max(...wall).toFixed(2),
      }),
    );
  }
  const met = (ms: number) => (ms <= TARGET_MS_PER_RESPONSE ? 'met' : 'NOT met');
  out(
    `hostile inputs (target ≤ ${TARGET_MS_PER_RESPONSE} ms per response): ${cases.length} cases, slowest ${slowestCpu.toFixed(1)} ms of CPU time ` +
      `(${met(slowestCpu)}), ${slowestWall.toFixed(1)} ms by wall clock (${met(slowestWall)}, load average ${loadavg()[0]!.toFixed(1)})`,
  );
  return slowestCpu;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchPathological((s) => process.stdout.write(s + '\n'));
