import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { findDemoData, readRecordedRows, recordedScore } from '../../src/pipeline/demo/recorded-data';
import { DEMO_THRESHOLDS } from '../../src/pipeline/demo/run-demo';
import { captureIO } from '../support/cli-capture';
import { testConfigEnv } from '../support/user-config';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Labels and pair counts worked out from the recorded verdicts and scores alone. */
async function expectations() {
  const rows = await readRecordedRows(findDemoData());
  const labels = { inlier: 0, outlier: 0, boundary: 0 };
  let pairs = 0;
  let boundaryIds: string[] = [];
  for (const r of rows) {
    const phiA = r.score!.slice(0, 3).filter(Boolean).length / 3;
    const phiR = [0, 1, 2].reduce((a, i) => a + sigmoid(recordedScore(r, i)), 0) / 3;
    const label = phiA === 1 && phiR > DEMO_THRESHOLDS.tauHigh ? 'inlier' : phiA === 0 && phiR < DEMO_THRESHOLDS.tauLow ? 'outlier' : 'boundary';
    labels[label]++;
    if (label !== 'boundary') continue;
    boundaryIds.push(String(r.idx));
    // Every recorded response is served at least once; identical texts count once.
    const right = new Set(r.response.filter((_, i) => r.score![i]));
    const wrong = new Set(r.response.filter((_, i) => !r.score![i]));
    pairs += Math.min(right.size, wrong.size);
  }
  return { labels, pairs, boundaryIds, problems: rows.length };
}

test('hsstar demo runs the whole pipeline offline and says how to open the result', async () => {
  const expected = await expectations();
  const root = await mkdtemp(join(tmpdir(), 'hsstar-demo-'));
  try {
    const dir = join(root, 'demo');
    const io = captureIO(process.cwd());
    const started = Date.now();
    const code = await main(['demo', dir], io);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(code, 0, io.err());
    const out = io.out();
    const { labels: l } = expected;
    assert.match(out, new RegExp(`labels: ${l.boundary} boundary, ${l.inlier} inlier, ${l.outlier} outlier\\n`));
    assert.match(out, /budget: 400 of 400 responses bought \(N = 8, n_p = 3, 50 problems\)/);
    assert.match(out, new RegExp(`pairs: ${expected.pairs}\\n`));
    assert.match(out, /replay: \d+ re-samples repeat a recorded response/);
    assert.match(out, new RegExp(`export: ${join(dir, 'exports', 'pairs-trl-conversational.jsonl').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${expected.pairs} pairs`));
    assert.ok(out.includes(`Review it in VS Code: code "${dir}"`), out);
    // The step scores are said for what they are: one recorded outcome score per response on every step.
    assert.match(out, /step scores: the recorded data has one outcome-reward score per response, replayed as the score of every step, so the weakest step is always step 1/);
    assert.ok(seconds < 60, `${seconds} s`);

    const lines = (await readFile(join(dir, 'exports', 'pairs-trl-conversational.jsonl'), 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, expected.pairs);
    const rows = await readRecordedRows(findDemoData());
    for (const line of lines) {
      const rec = JSON.parse(line) as { prompt: { role: string; content: string }[]; chosen: { content: string }[]; rejected: { content: string }[]; problem_id: string };
      // The conversation the policy was sent: the recorded system prompt, then the question.
      assert.deepEqual(rec.prompt.map((m) => m.role), ['system', 'user']);
      const row = rows.find((r) => r.question === rec.prompt[1]!.content)!;
      assert.equal(rec.prompt[0]!.content, row.system);
      assert.equal(rec.problem_id, String(row.idx));
      assert.ok(expected.boundaryIds.includes(String(row.idx)));
      assert.equal(row.score![row.response.indexOf(rec.chosen[0]!.content)], true);
      assert.equal(row.score![row.response.indexOf(rec.rejected[0]!.content)], false);
    }
    const manifest = JSON.parse(await readFile(join(dir, 'exports', 'pairs-trl-conversational.manifest.json'), 'utf8'));
    assert.deepEqual(manifest.labels, { ...l, unlabelled: 0 });
    assert.deepEqual(manifest.budget, { N: 8, presample: 3, spent: 400, planned: 400 });
    assert.equal(manifest.pairs, expected.pairs);

    // A second demo into the same folder is refused rather than mixed in.
    const again = captureIO(process.cwd());
    assert.equal(await main(['demo', dir], again), 1);
    assert.match(again.err(), /is not empty/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the built CLI finds its bundled data from any folder', { skip: !existsSync('dist/cli.js') && 'dist/cli.js not built' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-demo-bin-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'demo'], { cwd: root, timeout: 60_000, env: testConfigEnv(process.env) });
    assert.match(stdout, /project: .*\.hsstar-demo\n/);
    assert.match(stdout, /budget: 400 of 400 responses bought/);
    assert.ok(existsSync(join(root, '.hsstar-demo', 'exports', 'pairs-trl-conversational.jsonl')));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
