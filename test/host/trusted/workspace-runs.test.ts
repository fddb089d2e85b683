import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hsstar.hsstar-curator';

interface CtxLike {
  workspaceRuns: { ready: Promise<void>; runs: readonly { dir: string; label: string }[] };
  session: {
    dir: string | null;
    state: unknown;
    onDidChange(listener: (change: { current: unknown }) => void): { dispose(): void };
  };
  tree: { getChildren(e?: unknown): unknown[] };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000, poke?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await poke?.();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with the session's first change that leaves no run open. */
function nextClose(ctx: CtxLike): Promise<void> {
  return new Promise((resolve) => {
    const sub = ctx.session.onDidChange(({ current }) => {
      if (current !== null) return;
      sub.dispose();
      resolve();
    });
  });
}

/** `hsstar init` from the built CLI, as a user would type it in the terminal. */
async function init(dir: string, dataset: string): Promise<void> {
  const cli = join(process.env.HSSTAR_REPO_ROOT!, 'dist/cli.js');
  await promisify(execFile)(process.execPath, [cli, 'init', dir, '--dataset', dataset], { timeout: 30_000 });
}

describe('run folders in the workspace', function () {
  let ctx: CtxLike;
  let workspace: string;
  let dataset: string;
  const dirsNow = () => ctx.workspaceRuns.runs.map((r) => r.dir);

  before(async () => {
    const api = await vscode.extensions.getExtension<{ ctx(): Promise<CtxLike> }>(EXTENSION_ID)!.activate();
    ctx = await api.ctx();
    await ctx.workspaceRuns.ready;
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    dataset = join(workspace, 'two.jsonl');
    writeFileSync(dataset, ['{"id":"a","problem":"What is 1 + 1?","answer":"2"}', '{"id":"b","problem":"What is 2 + 3?","answer":"5"}', ''].join('\n'));
  });

  it('lists run folders the CLI creates while VS Code is open, and none inside node_modules', async () => {
    const a = join(workspace, 'runs', 'a');
    const b = join(workspace, 'runs', 'b');
    const hidden = join(workspace, 'node_modules', 'some-package', 'run');
    mkdirSync(join(workspace, 'node_modules', 'some-package'), { recursive: true });
    await init(hidden, dataset);
    await init(a, dataset);
    await init(b, dataset);
    await until('both run folders are listed', () => dirsNow().includes(a) && dirsNow().includes(b));
    const listed = ctx.workspaceRuns.runs.filter((r) => r.dir.startsWith(join(workspace, 'runs')));
    assert.deepEqual(listed.map((r) => r.label), ['runs/a', 'runs/b']);
    assert.ok(!dirsNow().some((d) => d.includes('node_modules')), `nothing under node_modules: ${dirsNow().join(', ')}`);
  });

  it('offers them in a quick pick from Open Run; picking one opens it', async () => {
    const first = ctx.workspaceRuns.runs[0]!.dir;
    const opened = vscode.commands.executeCommand<string | undefined>('hsstar.openRun');
    // Accepting before the quick pick is up does nothing, so accept until the command answers:
    // the first accept after its items are there takes the first, the workspace's first run.
    let answer: { dir: string | undefined } | null = null;
    void opened.then((dir) => (answer = { dir }));
    await until('the quick pick is accepted', () => answer !== null, 20_000, async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    });
    assert.equal(answer!.dir, first);
    assert.equal(ctx.session.dir, first);
  });

  it('drops a run folder deleted while VS Code is open', async () => {
    const b = join(workspace, 'runs', 'b');
    rmSync(b, { recursive: true, force: true });
    await until('the deleted run is no longer listed', () => !dirsNow().includes(b));
    assert.ok(dirsNow().includes(join(workspace, 'runs', 'a')), 'the other run stays');
  });

  it('closes the open run when its folder is deleted (here with its parent folder)', async () => {
    const a = join(workspace, 'runs', 'a');
    assert.equal((await vscode.commands.executeCommand<string | undefined>('hsstar.openRun', a)), a);
    assert.equal(ctx.session.dir, a);
    assert.ok(ctx.tree.getChildren().length > 0, 'the tree shows the open run');
    const closed = nextClose(ctx);
    rmSync(join(workspace, 'runs'), { recursive: true, force: true });
    await closed;
    assert.equal(ctx.session.dir, null);
    assert.equal(ctx.session.state, null);
    assert.deepEqual(ctx.tree.getChildren(), [], 'the tree is empty again (its welcome content shows)');
    assert.ok(!dirsNow().includes(a));
    assert.equal(existsSync(a), false);
  });
});
