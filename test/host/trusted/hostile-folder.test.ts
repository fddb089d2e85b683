import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hsstar.hsstar-curator';

interface CtxLike {
  session: { dir: string | null; state: { problems: Array<{ problem: { id: string } }> } | null };
  inspector: { guidelinesRefused: string | null; currentProblem: string | null };
  fail(err: unknown): void;
  workspaceRuns: { rescan(): Promise<void> };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * A run folder received through git may hold links to files elsewhere or to devices. The
 * extension opens such a folder in the real extension host: nothing outside it changes,
 * nothing endless is read (the host stays up), and the user is told what was refused.
 */
describe('a received run folder with hostile entries', function () {
  let ctx: CtxLike;
  let demo: string;
  let workspace: string;
  let outside: string;
  const failures: string[] = [];
  const made: string[] = [];

  before(async () => {
    const api = await vscode.extensions.getExtension<{ ctx(): Promise<CtxLike> }>(EXTENSION_ID)!.activate();
    ctx = await api.ctx();
    demo = (await vscode.commands.executeCommand<string>('hsstar.openDemo'))!;
    assert.ok(demo, 'the demo run opened');
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    outside = join(workspace, 'outside.txt');
    writeFileSync(outside, 'a file outside every run folder\n');
    // What the extension shows the user as an error goes through ctx.fail: recorded here, still shown.
    const shown = ctx.fail.bind(ctx);
    ctx.fail = (err: unknown) => {
      failures.push(err instanceof Error ? err.message : String(err));
      shown(err);
    };
  });

  // The received folders leave the workspace as they came, and its list of runs with them, before the next suite.
  after(async () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { force: true });
    await ctx.workspaceRuns.rescan();
  });

  /** A copy of the demo run as another annotator would push it (without this machine's lock). */
  function received(name: string): string {
    const dir = join(workspace, name);
    made.push(dir);
    cpSync(demo, dir, { recursive: true });
    rmSync(join(dir, '.lock'), { force: true });
    return dir;
  }

  it('refuses a folder whose events file is a link to a file outside, saying so; the file is unchanged', async () => {
    const dir = received('events-link');
    const linked = join(dir, 'events', 'mallory.jsonl');
    symlinkSync(outside, linked);
    const before = sha(outside);
    const opened = await vscode.commands.executeCommand<string | undefined>('hsstar.openRun', dir);
    assert.equal(opened, undefined, 'the folder is not opened');
    assert.ok(
      failures.some((m) => m.includes(`${linked} is a symbolic link; a run folder's files must be regular files`)),
      `the user is told: ${failures.join(' | ')}`,
    );
    assert.equal(sha(outside), before, 'the file outside is unchanged');
  });

  it('shows a folder whose GUIDELINES.md links to /dev/zero without reading it: the host stays up and the user is told', async () => {
    const dir = received('guidelines-zero');
    const guidelines = join(dir, 'GUIDELINES.md');
    symlinkSync('/dev/zero', guidelines);
    const rssBefore = process.memoryUsage().rss;
    assert.equal(await vscode.commands.executeCommand<string | undefined>('hsstar.openRun', dir), dir);
    const first = ctx.session.state!.problems[0]!.problem.id;
    await vscode.commands.executeCommand('hsstar.openProblem', first);
    await until('the inspector refused the guidelines', () => ctx.inspector.guidelinesRefused !== null);
    assert.equal(ctx.inspector.guidelinesRefused, `${guidelines} is a symbolic link; a run folder's files must be regular files`);
    // The host is alive and answers; reading /dev/zero would have grown it by gigabytes.
    assert.equal(ctx.session.dir, dir);
    assert.equal(ctx.inspector.currentProblem, first);
    const grown = process.memoryUsage().rss - rssBefore;
    assert.ok(grown < 512 * 1024 * 1024, `the host grew by ${(grown / 1024 / 1024).toFixed(0)} MB`);
    await vscode.commands.executeCommand('hsstar.openDemo');
  });
});
