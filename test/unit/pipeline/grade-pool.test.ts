import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { GradePool, type GradeItem } from '../../../src/pipeline/grading/grade-pool';
import { gradeRecord } from '../../../src/pipeline/grading/grade-record';

/** The 400 real responses of the demo data, each with its problem's reference answer. */
function realItems(): GradeItem[] {
  const rows = readFileSync(new URL('../../../media/demo/math_cot_50.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { idx: number; gt: string; response: string[] });
  return rows.flatMap((r) => r.response.map((text, slot) => ({ problem: { answer: r.gt }, response: { id: `${r.idx}:${slot}`, text } })));
}

test('grades on 3 threads equal grading inline, each call in its own order, however the calls interleave', async () => {
  const items = realItems();
  const inline = items.map((it) => gradeRecord(it.problem, it.response));
  const pool = new GradePool(3);
  try {
    // One call per request's worth (1 to 7 responses), all in flight at once, as the sampler sends them.
    const calls: Promise<unknown>[] = [];
    const expected: unknown[] = [];
    for (let i = 0, k = 1; i < items.length; i += k, k = (k % 7) + 1) {
      calls.push(pool.grade(items.slice(i, i + k)));
      expected.push(inline.slice(i, i + k));
    }
    assert.deepEqual(await Promise.all(calls), expected);
    assert.ok(inline.some((g) => g.correct) && inline.some((g) => !g.correct), 'both verdicts occur');
    assert.equal(pool.pending, 0);
  } finally {
    await pool.close();
  }
});

test('the grading runs on other threads than the caller', async () => {
  const pool = new GradePool(1);
  try {
    const [g] = await pool.grade([{ problem: { answer: '7' }, response: { id: 'a:0', text: 'so \\boxed{7}' } }]);
    assert.equal(g!.correct, true);
    assert.equal(threadId, 0, 'the test itself is on the main thread');
  } finally {
    await pool.close();
  }
});

test('close lets the grading in hand finish, then refuses new work with a clear message', async () => {
  const pool = new GradePool(2);
  const items = realItems();
  const inHand = [pool.grade(items.slice(0, 200)), pool.grade(items.slice(200))];
  await pool.close();
  const done = await Promise.all(inHand);
  assert.equal(done.flat().length, items.length);
  assert.equal(pool.pending, 0);
  await assert.rejects(pool.grade(items.slice(0, 1)), /the grading pool is closed/);
  await pool.close(); // twice is fine
});

test('an idle pool never keeps the process alive; a busy one keeps it until the grades are back', () => {
  const poolModule = fileURLToPath(new URL('../../../src/pipeline/grading/grade-pool.ts', import.meta.url));
  // The child grades, prints, and then has nothing left to do but its idle threads: it must exit by itself.
  const script = `
    const { GradePool } = await import(${JSON.stringify(poolModule)});
    const pool = new GradePool(2);
    const grades = await pool.grade([{ problem: { answer: '12' }, response: { id: 'p:0', text: 'the sum is \\\\boxed{12}' } }]);
    console.log(JSON.stringify(grades));
  `;
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-pool-'));
  const file = join(dir, 'child.mjs');
  writeFileSync(file, script);
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.signal, null, 'exited by itself, not killed by the timeout');
  const [grade] = JSON.parse(child.stdout.trim()) as { correct: boolean; responseId: string }[];
  assert.deepEqual([grade!.responseId, grade!.correct], ['p:0', true]);
  assert.ok(performance.now() - started < 30_000);
});
