/**
 * SIGINTs to a real `dist/cli.js run` against the vLLM-like server, with replies slow enough
 * to be in flight. Two SIGINTs back to back (what `timeout` or `kill -INT -PGID` can deliver)
 * are one Ctrl-C: the requests in flight finish and are written. A deliberate second Ctrl-C
 * later cuts them, yet what was received is on disk and the lock is released.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIO } from '../support/cli-capture';
import { startVllmServer, type VllmServer } from '../support/vllm-server';

const CLI = join(process.cwd(), 'dist/cli.js');
const MODEL = 'Qwen/Qwen2.5-Math-1.5B-Instruct';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A project of 8 problems, 2 pre-samples each, one sample per request, 4 requests at once. */
async function project(server: VllmServer): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-sigint2-'));
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: `q${i}`, question: `What is ${i} + ${i}?`, answer: String(2 * i) }) + '\n').join(''));
  const dir = join(root, 'run');
  const io = captureIO(root);
  const args = ['init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', MODEL, '--n-per-request', '1', '--concurrency', '4', '--budget', '4', '--presample', '2', '--max-tokens', '64'];
  assert.equal(await main(args, io), 0, io.err());
  return { root, dir };
}

function startRun(dir: string) {
  const child = spawn(process.execPath, [CLI, 'run', dir, '--stage', 'rde'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  child.stderr.on('data', (c: Buffer) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => `${out}\n${err}` };
}

async function until(what: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

/** The texts of every choice the server handed over, and of every response on disk. */
function sentAndStored(server: VllmServer, dir: string): { sent: string[]; stored: string[] } {
  const sent = server.replies.flatMap((r) => (r.json as { choices: { message: { content: string } }[] }).choices.map((c) => c.message.content));
  const stored = readFileSync(join(dir, 'responses.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  return { sent: sent.sort(), stored: stored.sort() };
}

test('two SIGINTs back to back are one Ctrl-C: every request in flight is answered, written, and the lock released', { skip: !existsSync(CLI) && 'dist/cli.js not built' }, async () => {
  const server = await startVllmServer({ kind: 'generate', servedModelName: MODEL, replyDelayMs: () => 1200 });
  const { root, dir } = await project(server);
  try {
    const run = startRun(dir);
    await until(() => server.requests.length >= 4);
    const signalledAt = Date.now();
    run.child.kill('SIGINT');
    await sleep(5);
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(code, 130, run.output());
    assert.match(run.output(), /interrupted, finishing requests in flight/);
    assert.doesNotMatch(run.output(), /quitting/);
    const { sent, stored } = sentAndStored(server, dir);
    // The four on the wire when the signals came were answered after them, and all are on disk.
    assert.ok(server.replies.filter((r) => r.at > signalledAt).length >= 4, `${server.replies.length} replies`);
    assert.deepEqual(stored, sent);
    assert.ok(!existsSync(join(dir, '.lock')), 'the lock is released');
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('a deliberate second Ctrl-C cuts the requests on the wire, keeps every reply received and releases the lock', { skip: !existsSync(CLI) && 'dist/cli.js not built' }, async () => {
  // The first four replies come quickly; the next ones would take 20 s.
  const server = await startVllmServer({ kind: 'generate', servedModelName: MODEL, replyDelayMs: (n) => (n < 4 ? 200 : 20_000) });
  const { root, dir } = await project(server);
  try {
    const run = startRun(dir);
    await until(() => server.replies.length >= 4 && server.requests.length >= 8);
    run.child.kill('SIGINT');
    await sleep(1500);
    const secondAt = Date.now();
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(code, 130, run.output());
    assert.ok(Date.now() - secondAt < 10_000, 'quit without waiting for the slow replies');
    assert.ok(!existsSync(join(dir, '.lock')), 'the lock is released');
    const { sent, stored } = sentAndStored(server, dir);
    assert.equal(sent.length, 4);
    assert.deepEqual(stored, sent);
    assert.match(run.output(), /quitting: requests on the wire are cut/);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
