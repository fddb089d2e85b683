import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { PATTERNS, fixtureServer } from '../unit/pipeline/run-fixture';
import { captureIO } from '../support/cli-capture';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('init + run + status --json + export against the local test server', async () => {
  const server = await fixtureServer();
  const root = await mkdtemp(join(tmpdir(), 'hsstar-e2e-'));
  try {
    const dataset = join(root, 'data.jsonl');
    await writeFile(dataset, Object.keys(PATTERNS).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' }) + '\n').join(''));
    const dir = join(root, 'run');
    const cli = async (...argv: string[]) => {
      const io = captureIO(root);
      const code = await main(argv, io);
      return { code, out: io.out(), err: io.err() };
    };

    const init = await cli(
      'init', dir, '--dataset', dataset,
      '--policy-url', server.v1, '--policy-model', 'policy', '--n-per-request', '2',
      '--prm-protocol', 'http-json', '--prm-url', `${server.url}/prm`, '--prm-model', 'prm',
      '--budget', '4', '--presample', '2', '--tau-low', '0.15', '--tau-high', '0.65',
      '--seed', '1234', '--concurrency', '4', '--price-prompt', '1', '--price-completion', '2',
    );
    assert.equal(init.code, 0, init.err);
    const settings = JSON.parse(await readFile(join(dir, 'hsstar.json'), 'utf8'));
    assert.deepEqual(settings.budget, { N: 4, presample: 2 });
    assert.deepEqual(settings.thresholds, { tauLow: 0.15, tauHigh: 0.65 });
    assert.equal(settings.prm.protocol, 'http-json');
    assert.deepEqual(settings.prices, { promptPerMTok: 1, completionPerMTok: 2 });

    const dry = await cli('run', dir, '--dry-run');
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /pre-samples to buy: 8 \(n_p = 2 each\)/);
    assert.match(dry.out, /at most 8 \(\(N − n_p\) × \|D\|\)/);
    assert.equal(server.stats.samplesServed, 0);

    const rde = await cli('run', dir, '--stage', 'rde');
    assert.equal(rde.code, 0, rde.err);
    assert.equal(server.stats.samplesServed, 8);
    const plan = await cli('run', dir, '--dry-run');
    assert.match(plan.out, /re-samples to buy: 8; Boundary problems end with 6 responses \(2 problems\)/);

    const run = await cli('run', dir);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /labels: 2 boundary, 1 inlier, 1 outlier/);
    assert.match(run.out, /budget: 16 of 16 responses bought/);
    assert.match(run.out, /pairs: 6/);
    assert.ok(run.out.includes(`Review it in VS Code: code "${dir}"`), run.out);
    assert.ok(!dry.out.includes('Review it in VS Code'), 'a dry run gives no advice to review what is not bought');
    assert.equal(server.stats.samplesServed, 16);

    const st = await cli('status', dir, '--json');
    assert.equal(st.code, 0, st.err);
    const status = JSON.parse(st.out);
    const rows = status.problems.map((p: Record<string, unknown>) => [p.id, p.label, p.labelSource, p.responses, p.correct]);
    assert.deepEqual(rows, [
      ['q0', 'inlier', 'derived', 2, 2],
      ['q1', 'outlier', 'derived', 2, 0],
      ['q2', 'boundary', 'derived', 6, 3],
      ['q3', 'boundary', 'derived', 6, 3],
    ]);
    const phi = status.problems.map((p: { phiA: number; phiR: number }) => [p.phiA, p.phiR]);
    for (const [[a, r], [ea, er]] of phi.map((x: number[], i: number) => [x, [[1, 0.9], [0, 0.1], [0.5, 0.5], [0.5, 0.5]][i]])) {
      assert.ok(close(a, ea) && close(r, er), `${a} ${r}`);
    }
    assert.equal(status.budget.N, 4);
    assert.equal(status.budget.presample, 2);
    assert.equal(status.budget.spent, 16);
    assert.equal(status.budget.planned, 16);
    assert.equal(status.pairs, 6);

    const out = join(root, 'exports', 'pairs.jsonl');
    const ex = await cli('export', dir, '--format', 'trl-conversational', '--out', out);
    assert.equal(ex.code, 0, ex.err);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    for (const l of lines) {
      assert.equal(l.prompt.at(-1).role, 'user');
      assert.match(l.chosen[0].content, /boxed\{7\}/);
      assert.match(l.rejected[0].content, /boxed\{8\}/);
    }
    const manifest = JSON.parse(await readFile(join(root, 'exports', 'pairs.manifest.json'), 'utf8'));
    assert.deepEqual(manifest.labels, { inlier: 1, outlier: 1, boundary: 2, unlabelled: 0 });
    assert.equal(manifest.pairs, 6);
    assert.equal(manifest.problems, 4);
    assert.equal(manifest.responses, 16);
    assert.deepEqual(manifest.budget, { N: 4, presample: 2, spent: 16, planned: 16 });
    assert.equal(manifest.format, 'trl-conversational');
    assert.equal(manifest.seed, 1234);
    assert.match(manifest.settingsHash, /^[0-9a-f]{64}$/);
    assert.equal(manifest.datasetHash, settings.dataset.sha256);
    assert.ok(!Number.isNaN(Date.parse(manifest.createdAt)));

    const again = await cli('export', dir, '--format', 'trl-conversational', '--out', out);
    assert.equal(again.code, 1);
    assert.match(again.err, /already exists; pass --force/);
    assert.equal((await cli('export', dir, '--format', 'trl-conversational', '--out', out, '--force')).code, 0);

    // A second run buys nothing more.
    assert.equal((await cli('run', dir)).code, 0);
    assert.equal(server.stats.samplesServed, 16);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('bad settings flags are usage errors naming the flag', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-e2e-flags-'));
  try {
    const dataset = join(root, 'data.jsonl');
    await writeFile(dataset, JSON.stringify({ id: 'a', question: 'q?', answer: '1' }) + '\n');
    const base = ['init', join(root, 'run'), '--dataset', dataset, '--policy-url', 'http://127.0.0.1:9/v1', '--policy-model', 'm'];
    for (const [extra, message] of [
      [['--budget', '2', '--presample', '3'], /presample must not exceed N/],
      [['--tau-low', 'x'], /--tau-low must be a number/],
      [['--threshold-preset', 'nope'], /unknown --threshold-preset/],
      [['--prm-protocol', 'vllm-qwen-prm'], /needs --prm-url/],
      [['--policy-api', 'grpc'], /--policy-api/],
    ] as const) {
      const io = captureIO(root);
      assert.equal(await main([...base, ...extra], io), 2, `${extra.join(' ')}: ${io.err()}`);
      assert.match(io.err(), message);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
