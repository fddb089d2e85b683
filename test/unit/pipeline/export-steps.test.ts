import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runCli } from '../../support/cli-capture';
import { tempDir } from './run-fixture';

/**
 * The stepwise exports of a real demo run labelled through `hsstar label-steps`, read back
 * by DuckDB's own JSON reader (type inference of its own, no JSON.parse of ours), the
 * way `datasets.load_dataset("json")` infers Arrow columns for TRL's PRMTrainer.
 */
let dir = '';
let cleanup: () => Promise<void> = async () => {};
let db: DuckDBConnection;

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function columns(file: string): Promise<Array<[string, string]>> {
  const rows = await query(`DESCRIBE SELECT * FROM read_json_auto('${file}', format = 'newline_delimited')`);
  return rows.map((r) => [String(r.column_name), String(r.column_type)]);
}

async function cli(...argv: string[]) {
  const r = await runCli(argv);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

before(async () => {
  ({ dir, cleanup } = await tempDir());
  await cli('demo', join(dir, 'run'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  const run = join(dir, 'run');
  // Responses 5:0 and 5:1 have 16 steps, 5:2 and 5:3 three (the demo's recorded answers).
  await cli('label-steps', run, '5:0', '--first-error', '3', '--note', '3:sign error', '--author', 'ann');
  await cli('label-steps', run, '5:1', '--labels', '1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1', '--author', 'bob');
  await cli('label-steps', run, '5:2', '--labels', '1,?', '--author', 'ann');
  await cli('label-steps', run, '5:3', '--first-error', '1', '--bad-problem', '--author', 'ann');
});

after(async () => {
  db?.closeSync();
  await cleanup();
});

test('trl-stepwise: prompt string, completions a list of strings, labels a list of booleans of the same length', async () => {
  const out = join(dir, 'steps.jsonl');
  const printed = await cli('export', join(dir, 'run'), '--format', 'trl-stepwise', '--out', out);
  assert.match(printed, /wrote 2 labelled responses \(19 steps\)/);
  assert.match(printed, /left out: 1 unfinished labellings, 1 flagged bad problem/);
  assert.deepEqual(await columns(out), [
    ['prompt', 'VARCHAR'],
    ['completions', 'VARCHAR[]'],
    ['labels', 'BOOLEAN[]'],
  ]);
  const rows = await query(`SELECT prompt, len(completions) AS steps, len(labels) AS labels_len, labels, completions[1] AS first FROM read_json_auto('${out}')`);
  assert.equal(rows.length, 2);
  for (const r of rows) assert.equal(r.steps, r.labels_len);
  // 5:0 stops at its first error (step 3); 5:1 has all 16 steps, its neutral step 2 counted as true.
  assert.deepEqual(rows[0]!.labels, [true, true, false]);
  assert.deepEqual(rows[1]!.labels, Array(16).fill(true));
  const problems = (await readFile(join(dir, 'run', 'problems.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const question = problems.find((p) => p.id === '5' || p.problem?.id === '5');
  assert.ok(String(rows[0]!.prompt).includes(question?.question ?? question?.problem?.question));
  const responses = (await readFile(join(dir, 'run', 'responses.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const text: string = responses.find((r) => r.id === '5:0').text;
  assert.equal(rows[0]!.first, text.split('\n\n')[0]!.trim());

  const manifest = JSON.parse(await readFile(join(dir, 'steps.manifest.json'), 'utf8'));
  assert.equal(manifest.format, 'trl-stepwise');
  assert.equal(manifest.responses, 2);
  assert.deepEqual(manifest.steps, { total: 19, positive: 17, neutral: 1, negative: 1 });
  assert.deepEqual(manifest.finish, { found_error: 1, solution: 1, bad_problem: 0 });
  assert.deepEqual(manifest.skipped, { incomplete: 1, badProblem: 1 });
  assert.equal(manifest.neutralAs, true);
  assert.deepEqual(manifest.authors, ['ann', 'bob']);
  assert.match(manifest.settingsHash, /^[0-9a-f]{64}$/);
});

test('--neutral-as false turns a 0 step into false; an existing file is kept without --force', async () => {
  const out = join(dir, 'strict.jsonl');
  await cli('export', join(dir, 'run'), '--format', 'trl-stepwise', '--out', out, '--neutral-as', 'false');
  const rows = await query(`SELECT labels FROM read_json_auto('${out}')`);
  assert.deepEqual(rows[1]!.labels, [true, false, ...Array(14).fill(true)]);
  await writeFile(out, 'keep me\n');
  const again = await runCli(['export', join(dir, 'run'), '--format', 'trl-stepwise', '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.err, /strict\.jsonl: already exists; pass --force/);
  assert.equal(await readFile(out, 'utf8'), 'keep me\n');
  const bad = await runCli(['export', join(dir, 'run'), '--format', 'trl-stepwise', '--out', out, '--neutral-as', 'maybe']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--neutral-as must be one of true, false/);
});

test('prm800k keeps the three ratings, the notes and the bad-problem labelling', async () => {
  const out = join(dir, 'prm.jsonl');
  await cli('export', join(dir, 'run'), '--format', 'prm800k', '--out', out);
  const cols = new Map(await columns(out));
  assert.equal(cols.get('labeler'), 'VARCHAR');
  assert.match(cols.get('label')!, /^STRUCT\(steps STRUCT\(completions STRUCT\("text" VARCHAR, rating (BIG|HUGE)INT, flagged JSON\)\[\]/);
  assert.match(cols.get('label')!, /finish_reason VARCHAR\)$/);
  const rows = await query(
    `SELECT hsstar.responseId AS id, labeler, label.finish_reason AS finish, [s.completions[1].rating::INTEGER FOR s IN label.steps] AS ratings, hsstar.notes AS notes FROM read_json_auto('${out}')`,
  );
  assert.deepEqual(
    rows.map((r) => [r.id, r.labeler, r.finish, r.ratings]),
    [
      ['5:0', 'ann', 'found_error', [1, 1, -1]],
      ['5:1', 'bob', 'solution', [1, 0, ...Array(14).fill(1)]],
      ['5:3', 'ann', 'bad_problem', [-1]],
    ],
  );
  assert.deepEqual(rows[0]!.notes, ['', '', 'sign error']);
});

test('hsstar status --json reports the PRM against these labels, from the run\'s own scores', async () => {
  const out = await cli('status', join(dir, 'run'), '--json');
  const audit = JSON.parse(out).stepAudit;
  const prm = new Map<string, number[]>();
  for (const line of (await readFile(join(dir, 'run', 'scores.jsonl'), 'utf8')).split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    if (r.kind === 'prm') prm.set(r.responseId, r.scores);
  }
  // By hand from the scores: 5:0's human error is step 3; 5:1 is correct.
  const first = (s: number[]) => s.findIndex((x) => x < 0.5);
  const errHit = first(prm.get('5:0')!) === 2 ? 1 : 0;
  const okHit = first(prm.get('5:1')!) === -1 ? 1 : 0;
  const f1 = errHit + okHit === 0 ? 0 : (2 * errHit * okHit) / (errHit + okHit);
  assert.deepEqual([audit.labelled, audit.responses, audit.erroneous, audit.correct], [4, 2, 1, 1]);
  assert.deepEqual(audit.skipped, { incomplete: 1, badProblem: 1, unscored: 0 });
  assert.deepEqual(audit.at, { threshold: 0.5, erroneousAccuracy: errHit, correctAccuracy: okHit, f1 });
  // Rated steps: 3 of 5:0, 16 of 5:1, 1 of 5:2 (its second is unsure); 5:3 is a bad problem.
  assert.deepEqual(audit.steps, { total: 20, negative: 1 });
  const others = [...prm.get('5:0')!.slice(0, 2), ...prm.get('5:1')!, prm.get('5:2')![0]!];
  const neg = prm.get('5:0')![2]!;
  const wins = others.reduce((a, s) => a + (s > neg ? 1 : s === neg ? 0.5 : 0), 0);
  assert.equal(audit.stepAuroc, wins / others.length);
  assert.equal(typeof audit.queue['prm-missed-error'], 'number');
});

test('hsstar audit-queue leaves out finished and bad-problem labellings and lists the rest by value per step', async () => {
  const q = JSON.parse(await cli('audit-queue', join(dir, 'run'), '--json', '--limit', '10000'));
  const ids = new Set(q.items.map((i: { responseId: string }) => i.responseId));
  for (const done of ['5:0', '5:1', '5:3']) assert.equal(ids.has(done), false, `${done} is labelled`);
  const total = Object.values(q.totals as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(q.items.length, total);
  let steps = 0;
  for (let i = 0; i < q.items.length; i++) {
    const item = q.items[i];
    if (i > 0) assert.ok(q.items[i - 1].priority >= item.priority);
    steps += item.steps;
    assert.equal(item.cumulativeSteps, steps);
    assert.equal(item.reason === 'prm-missed-error', !item.correct && item.minScore >= 0.5);
  }
  const text = await cli('audit-queue', join(dir, 'run'), '--limit', '3');
  assert.equal(text.trimEnd().split('\n').length, 4);
  const bad = await runCli(['audit-queue', join(dir, 'run'), '--threshold', '2']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--threshold takes a number from 0 to 1 \(got '2'\)/);
});
