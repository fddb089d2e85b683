import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startTestServer, type TestServer } from '../../support/test-server';
import { eventsOnDisk } from '../../support/event-files';

const EXTENSION_ID = 'hsstar.hsstar-curator';

interface PairLike {
  chosenId: string;
  rejectedId: string;
}
interface ProblemLike {
  effective: string;
  labelSource: string;
  reviewed: boolean;
  pairs: PairLike[];
  responses: unknown[];
}
interface SessionLike {
  dir: string | null;
  writable: boolean;
  canCurate: boolean;
  state: { byId: ReadonlyMap<string, ProblemLike> } | null;
  edit(intent: Record<string, unknown>): Promise<{ ok: boolean; error?: string }>;
}

// Two problems of each kind: EASY right, HARD wrong, MID half right (Boundary, with pairs).
const PROBLEMS = ['EASY-1', 'EASY-2', 'HARD-1', 'HARD-2', 'MID-1', 'MID-2'].map((q, i) => ({ id: q.toLowerCase(), problem: `${q}: what is ${i} + 40?`, answer: String(i + 40) }));
const N = 6;
const PRESAMPLE = 2;
/** n_p pre-samples for all six, then the rest of 6 × N for the two Boundary problems. */
const EXACT_BUDGET = N * PROBLEMS.length;

const served = new Map<string, number>();
function reply(prompt: string): string {
  const p = PROBLEMS.find((q) => prompt.includes(q.problem))!;
  const k = served.get(p.id) ?? 0;
  served.set(p.id, k + 1);
  const right = p.id.startsWith('easy') || (p.id.startsWith('mid') && k % 2 === 0);
  return `Read the question.\n\nAdd the numbers.\n\nThe answer is \\boxed{${right ? p.answer : '0'}}.`;
}

function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

/** The built CLI in its own process, as a user runs it. */
function hsstar(cli: string, args: string[]): { done: Promise<{ code: number; out: string; err: string }> } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ELECTRON_RUN_AS_NODE: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, out, err }))) };
}

describe('review during a run: the CLI samples, another CLI process and the extension record decisions', function () {
  let server: TestServer;
  let session: SessionLike;
  let cli: string;
  let runDir: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ ctx(): Promise<{ session: SessionLike }> }>(EXTENSION_ID)!;
    ({ session } = await (await extension.activate()).ctx());
    cli = join(extension.extensionPath, 'dist', 'cli.js');
    // Slow: each request takes 150 ms and only two are served at once, so the run lasts seconds.
    server = await startTestServer({ latencyMs: 150, capacity: 2, policy: (req) => Array.from({ length: req.n }, () => reply(req.prompt)), stepScores: (q, steps) => steps.map(() => (q.startsWith('EASY') ? 0.95 : q.startsWith('HARD') ? 0.05 : 0.5)) });
    await vscode.workspace.getConfiguration('hsstar').update('review.author', 'vscode-bob', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('hsstar').update('review.author', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('all decisions land, the run spends exactly its budget, every log line parses', async function () {
    this.timeout(120_000);
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const dataset = join(workspace, 'team.jsonl');
    writeFileSync(dataset, PROBLEMS.map((p) => JSON.stringify(p)).join('\n') + '\n');
    runDir = join(workspace, 'team.hsstar');
    const init = await hsstar(cli, ['init', runDir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'p', '--n-per-request', '1',
      '--prm-protocol', 'http-json', '--prm-url', `${server.url}/prm`, '--prm-model', 'prm', '--budget', String(N), '--presample', String(PRESAMPLE),
      '--tau-low', '0.15', '--tau-high', '0.65', '--concurrency', '2']).done;
    assert.equal(init.code, 0, init.err);

    const run = hsstar(cli, ['run', runDir]);
    await until(() => server.stats.samplesServed > 0, 'the run to start sampling');
    await vscode.commands.executeCommand('hsstar.openRun', runDir);
    assert.equal(session.dir, runDir);
    assert.equal(session.writable, false, 'the CLI holds the sampling lock');
    assert.equal(session.canCurate, true, 'the extension can still record decisions');

    // Another process, through the CLI, while the run samples.
    const label = await hsstar(cli, ['label', runDir, 'hard-1', '--as', 'outlier', '--reason', 'checked by hand: the key is right', '--author', 'cli-ann']).done;
    assert.equal(label.code, 0, label.err);
    const review = await hsstar(cli, ['review', runDir, 'easy-2', '--author', 'cli-ann']).done;
    assert.equal(review.code, 0, review.err);

    // The extension follows the run's logs: wait for a pair of a Boundary problem, then drop it.
    await until(() => (session.state?.byId.get('mid-1')?.pairs.length ?? 0) > 0, 'a pair of mid-1 in the extension', 60_000);
    const pair = session.state!.byId.get('mid-1')!.pairs[0]!;
    const edit = await session.edit({ type: 'pair-drop', problemId: 'mid-1', chosenId: pair.chosenId, rejectedId: pair.rejectedId });
    assert.equal(edit.ok, true, edit.error);
    const samplesAtEdit = server.stats.samplesServed;

    const result = await run.done;
    assert.equal(result.code, 0, result.err);
    assert.ok(samplesAtEdit < EXACT_BUDGET, `the pair edit landed while the run was still sampling (${samplesAtEdit} of ${EXACT_BUDGET})`);
    assert.equal(server.stats.samplesServed, EXACT_BUDGET, 'bought exactly the budget');

    // Every line of every log parses; the responses are exactly the budget, each once.
    const responses = readFileSync(join(runDir, 'responses.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string });
    assert.equal(responses.length, EXACT_BUDGET);
    assert.equal(new Set(responses.map((r) => r.id)).size, EXACT_BUDGET);
    readFileSync(join(runDir, 'scores.jsonl'), 'utf8').split('\n').filter(Boolean).forEach((l) => JSON.parse(l));
    assert.deepEqual(readdirSync(join(runDir, 'events')).sort(), ['cli-ann.jsonl', 'vscode-bob.jsonl']);
    const events = eventsOnDisk(runDir);
    assert.deepEqual(events.map((e) => `${e.author} ${e.type} ${e.problemId}`), ['cli-ann label-override hard-1', 'cli-ann reviewed easy-2', 'vscode-bob pair-drop mid-1']);

    // The extension sees all of it: reopened after the run ends, it derives the same.
    await vscode.commands.executeCommand('hsstar.openRun', runDir);
    assert.equal(session.writable, true, 'the lock is free again');
    const s = session.state!;
    assert.equal(s.byId.get('hard-1')!.labelSource, 'override');
    assert.equal(s.byId.get('easy-2')!.reviewed, true);
    assert.ok(!s.byId.get('mid-1')!.pairs.some((p) => p.chosenId === pair.chosenId && p.rejectedId === pair.rejectedId), 'the dropped pair stays dropped');
    assert.equal([...s.byId.values()].reduce((a, p) => a + p.responses.length, 0), EXACT_BUDGET);
  });
});
