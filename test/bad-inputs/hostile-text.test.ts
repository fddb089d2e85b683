/**
 * Hostile model output through the built command line, `node dist/cli.js grade`, as users
 * run it: a response made to make answer extraction slow must cost little CPU time, and
 * `--timeout-ms` must bound a line's extraction as well as its comparison.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(new URL('.', import.meta.url).pathname, '../..');
const CLI = join(REPO, 'dist/cli.js');

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

before(() => {
  // The test is of the bundle users run: build it unless it is newer than every source file.
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built <= newest(join(REPO, 'src'))) execFileSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { cwd: REPO, stdio: 'ignore' });
});

/**
 * Runs `hsstar grade ARGS < lines` under `sh`, whose `times` prints the CPU time of its
 * child: the process's own time, which the load of a shared machine does not inflate.
 */
function grade(args: string[], lines: object[]): { code: number; out: unknown[]; err: string; cpuSeconds: number; wallSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-hostile-'));
  try {
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'out.jsonl');
    const errors = join(dir, 'err.txt');
    writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const quoted = [process.execPath, CLI, 'grade', ...args].map((a) => `'${a}'`).join(' ');
    const start = performance.now();
    const r = spawnSync('sh', ['-c', `${quoted} < '${input}' > '${output}' 2> '${errors}'; echo "$?"; times`], { encoding: 'utf8' });
    const wallSeconds = (performance.now() - start) / 1000;
    const [code, , children] = r.stdout.trim().split('\n');
    // `times` prints the shell's user and system time, then its children's: "0m0.290s 0m0.055s".
    const cpuSeconds = (children ?? '').split(/\s+/).reduce((sum, t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return sum + (m ? Number(m[1]) * 60 + Number(m[2]) : NaN);
    }, 0);
    const printed = readFileSync(output, 'utf8').trim();
    const out = printed === '' ? [] : printed.split('\n').map((l) => JSON.parse(l) as unknown);
    return { code: Number(code), out, err: readFileSync(errors, 'utf8'), cpuSeconds, wallSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('"The final answer" + 100,000 spaces is graded in well under 3 s of CPU time (16 s before extraction was linear)', () => {
  const r = grade(['--timeout-ms', '100'], [{ response: 'The final answer' + ' '.repeat(100_000), gt: '5' }]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out, [{ extracted: null, method: 'none', equal: false }]);
  assert.ok(r.cpuSeconds < 3, `CPU time ${r.cpuSeconds} s`);
  // The wall clock also counts the other load of a shared machine: a looser bound.
  assert.ok(r.wallSeconds < 12, `wall clock ${r.wallSeconds.toFixed(1)} s`);
});

test('--timeout-ms bounds the extraction of a line, not only its comparison', () => {
  // Only the last stage (the last number) finds this answer, after scans of 190,000 characters.
  const line = { response: '1.'.repeat(95_000) + ' so 7', gt: '7' };
  assert.deepEqual(grade([], [line]).out, [{ extracted: '7', method: 'last-number', equal: true }]);
  const bounded = grade(['--timeout-ms', '0.001'], [line, { prediction: '7', gt: '7' }]);
  assert.equal(bounded.code, 0, bounded.err);
  assert.deepEqual(bounded.out, [
    { extracted: null, method: 'none', equal: false, timedOut: true },
    // Exact text is decided before the first check of the bound.
    { extracted: '7', method: 'given', equal: true },
  ]);
});
