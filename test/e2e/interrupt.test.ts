import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { PATTERNS, fixtureServer } from '../unit/pipeline/run-fixture';
import { captureIO } from '../support/cli-capture';
import { testConfigEnv } from '../support/user-config';

test('Ctrl-C stops a run in a real process; running again continues and buys no slot twice', async () => {
  const server = await fixtureServer({ latencyMs: 60 });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-sigint-'));
  try {
    const dataset = join(root, 'data.jsonl');
    await writeFile(dataset, Object.keys(PATTERNS).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' }) + '\n').join(''));
    const dir = join(root, 'run');
    const init = captureIO(root);
    const args = ['init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'p', '--n-per-request', '1', '--concurrency', '1'];
    assert.equal(await main([...args, '--prm-url', `${server.url}/prm`, '--budget', '4', '--presample', '2'], init), 0, init.err());

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', dir], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: testConfigEnv(process.env) });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (server.stats.samplesServed < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, `${out}\n${err}`);
    assert.match(err, /interrupted, finishing requests in flight/);
    assert.match(out, /stopped; run the same command again to continue/);
    const paid = server.stats.samplesServed;
    assert.ok(paid >= 3 && paid < 16, `served ${paid}`);

    const again = captureIO(root);
    assert.equal(await main(['run', dir], again), 0, again.err());
    assert.match(again.out(), /budget: 16 of 16 responses bought/);
    // Every sample the server delivered was written once: none bought twice, none lost.
    assert.equal(server.stats.samplesServed, 16);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
