import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startTestServer, type TestServer } from '../../support/test-server';
import { eventsOnDisk } from '../../support/event-files';

const EXTENSION_ID = 'hsstar.hsstar-curator';
const API_KEY = 'sk-host-test-7f3a9c';

interface SessionLike {
  state: { byId: ReadonlyMap<string, { responses: unknown[] }> } | null;
}

interface TreeLike {
  getChildren(e?: unknown): { kind: string; group?: string; problemId?: string }[];
  getTreeItem(e: unknown): vscode.TreeItem;
}

// Six problems whose replies make two of each label: EASY always right with high step
// scores (Inlier), HARD always wrong with low ones (Outlier), MID half right (Boundary).
const PROBLEMS = [
  { id: 'easy-1', problem: 'EASY: what is 1 + 1?', answer: '2' },
  { id: 'easy-2', problem: 'EASY: what is 2 + 2?', answer: '4' },
  { id: 'hard-1', problem: 'HARD: how many primes below 30?', answer: '10' },
  { id: 'hard-2', problem: 'HARD: what is 17 * 23?', answer: '391' },
  { id: 'mid-1', problem: 'MID: what is 6 * 7?', answer: '42' },
  { id: 'mid-2', problem: 'MID: what is 9 * 9?', answer: '81' },
];

function solution(answer: string): string {
  return `First, read the question.\n\nThen compute carefully.\n\nThe answer is \\boxed{${answer}}.`;
}

function replyFor(prompt: string, index: number): string {
  const p = PROBLEMS.find((q) => prompt.includes(q.problem));
  if (!p) return solution('0');
  if (p.id.startsWith('easy')) return solution(p.answer);
  if (p.id.startsWith('hard')) return solution(String(Number(p.answer) + 1));
  return solution(index % 2 === 0 ? p.answer : String(Number(p.answer) + 1));
}

function scoreFor(question: string): number {
  return question.startsWith('EASY') ? 0.95 : question.startsWith('HARD') ? 0.05 : 0.5;
}

function groupCounts(tree: TreeLike): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of tree.getChildren()) counts[g.group!] = tree.getChildren(g).filter((c) => c.kind === 'problem').length;
  return counts;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('a run against the local model server, driven through commands', function () {
  let server: TestServer;
  let tree: TreeLike;
  let session: SessionLike;
  let runDir: string;

  before(async () => {
    server = await startTestServer({
      policy: (req) => Array.from({ length: req.n }, (_, i) => replyFor(req.prompt, i)),
      stepScores: (question, steps) => steps.map(() => scoreFor(question)),
    });
    const extension = vscode.extensions.getExtension<{ ctx(): Promise<{ tree: TreeLike; session: SessionLike }> }>(EXTENSION_ID)!;
    const api = await extension.activate();
    ({ tree, session } = await api.ctx());
  });

  after(async () => {
    await server?.close();
  });

  it('stores the policy key in SecretStorage through the command', async () => {
    assert.equal(await vscode.commands.executeCommand('hsstar.setApiKey', 'policy', API_KEY), true);
  });

  it('creates a run from a dataset in the workspace', async () => {
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const dataset = join(workspace, 'six.jsonl');
    writeFileSync(dataset, PROBLEMS.map((p) => JSON.stringify(p)).join('\n') + '\n');
    runDir = (await vscode.commands.executeCommand<string>('hsstar.newRun', {
      dataset,
      folder: join(workspace, 'six.hsstar'),
      policyUrl: server.v1,
      policyModel: 'test-policy',
      prmProtocol: 'http-json',
      prmUrl: `${server.url}/prm`,
      prmModel: 'test-prm',
      quiet: true,
    }))!;
    assert.ok(runDir && existsSync(join(runDir, 'hsstar.json')), `run folder created: ${runDir}`);
  });

  it('exports the pending pre-samples as a batch input file through the command', async () => {
    const out = join(runDir, 'batch-rde.jsonl');
    const result = await vscode.commands.executeCommand<{ requests: number; samples: number }>('hsstar.batchExport', 'rde', out);
    assert.equal(result?.samples, PROBLEMS.length * 3, 'n_p = 3 missing pre-samples per problem');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; url: string });
    assert.equal(lines.length, result.requests);
    assert.ok(lines.every((l) => l.custom_id.startsWith('hsstar:') && l.url === '/v1/chat/completions'));
  });

  it('refuses to send the SecretStorage key to a URL not approved on this machine, then approves it through the command', async () => {
    const refused = await vscode.commands.executeCommand<{ status: string; message: string }>('hsstar.runRde');
    assert.equal(refused?.status, 'failed');
    assert.match(refused.message, new RegExp(`policy: \\$HSSTAR_VSCODE_POLICY_KEY -> ${server.v1.replace(/[./]/g, '\\$&')}`));
    assert.equal(server.requests.length, 0, 'nothing was sent');
    assert.equal(await vscode.commands.executeCommand('hsstar.trustEndpoints', { approve: true }), 1);
    // The same file `hsstar trust` writes, in the user's config folder (XDG_CONFIG_HOME), not the run folder.
    const approvals = JSON.parse(readFileSync(join(process.env.XDG_CONFIG_HOME!, 'hsstar', 'approved-keys.json'), 'utf8'));
    // New Run approved the URLs it was given, with no key; the stored key needed its own approval.
    // (Other suites of this host approve their own servers in the same folder: only this server's entries count here.)
    const ours = approvals.approvals.filter((a: { url: string }) => a.url.startsWith(server.url));
    assert.deepEqual(ours.map((a: { keyEnv?: string; url: string }) => [a.keyEnv ?? null, a.url]), [
      [null, server.v1],
      [null, `${server.url}/prm`],
      ['HSSTAR_VSCODE_POLICY_KEY', server.v1],
    ]);
    assert.equal(await vscode.commands.executeCommand('hsstar.trustEndpoints', { approve: true }), 0, 'nothing left to approve');
  });

  it('runs RDE and shows two problems in each of the three groups', async () => {
    const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('hsstar.runRde');
    assert.equal(outcome?.status, 'completed', outcome?.message);
    assert.deepEqual(groupCounts(tree), { boundary: 2, inlier: 2, outlier: 2 });
    const boundary = tree.getChildren().find((g) => g.group === 'boundary')!;
    const item = tree.getTreeItem(boundary);
    assert.match(String(item.label), /boundary/i);
    const ids = tree.getChildren(boundary).map((c) => c.problemId).sort();
    assert.deepEqual(ids, ['mid-1', 'mid-2']);
  });

  it('sent the SecretStorage key to the server, and wrote it nowhere in the run folder', () => {
    const policyCalls = server.requests.filter((r) => r.path.endsWith('/chat/completions') || r.path.endsWith('/completions'));
    assert.ok(policyCalls.length > 0, 'the policy was called');
    for (const r of policyCalls) assert.equal(r.headers.authorization, `Bearer ${API_KEY}`);
    for (const file of filesUnder(runDir)) {
      assert.ok(!readFileSync(file, 'utf8').includes(API_KEY), `${file} must not contain the key`);
    }
  });

  it('re-samples Boundary and builds pairs from its right and wrong answers', async () => {
    const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('hsstar.resample');
    assert.equal(outcome?.status, 'completed', outcome?.message);
    const built = await vscode.commands.executeCommand<{ pairs: number }>('hsstar.buildPairs');
    assert.ok(built && built.pairs > 0, `pairs built: ${JSON.stringify(built)}`);
  });

  it('re-samples one problem on request', async () => {
    const before = session.state!.byId.get('mid-1')!.responses.length;
    const served = server.stats.samplesServed;
    const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('hsstar.resampleProblem', 'mid-1', 2);
    assert.equal(outcome?.status, 'completed', outcome?.message);
    assert.equal(session.state!.byId.get('mid-1')!.responses.length, before + 2);
    assert.equal(server.stats.samplesServed - served, 2);
  });

  it('overrides a label through the command: the tree moves it and the event log keeps the reason', async () => {
    const reason = 'the model solves this reliably in review';
    const result = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>('hsstar.overrideLabel', 'mid-2', 'inlier', reason);
    assert.equal(result?.ok, true, result?.error);
    assert.deepEqual(groupCounts(tree), { boundary: 1, inlier: 3, outlier: 2 });
    const events = eventsOnDisk(runDir);
    const override = events.find((e) => e.type === 'label-override' && e.problemId === 'mid-2' && e.reason === reason);
    assert.ok(override, `override event in the author's events file: ${JSON.stringify(events)}`);
    assert.equal(override.label, 'inlier');
  });

  it('exports DPO pairs through the command', async () => {
    const out = join(runDir, 'exports', 'host-test.jsonl');
    const result = await vscode.commands.executeCommand<{ file: string; manifest: { pairs: number } }>('hsstar.exportDpo', 'trl-conversational', out, true);
    assert.ok(result, 'export returned its result');
    assert.ok(existsSync(result.file));
    const rows = readFileSync(result.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, result.manifest.pairs);
    // After the override only mid-1 is Boundary, so every pair is about its question.
    for (const row of rows) {
      assert.ok(String(row.prompt.at(-1).content).includes('6 * 7'), `pair prompt: ${JSON.stringify(row.prompt)}`);
      assert.match(row.chosen[0].content, /\\boxed\{42\}/);
      assert.doesNotMatch(row.rejected[0].content, /\\boxed\{42\}/);
      assert.equal(row.problem_id, 'mid-1');
    }
  });
});
