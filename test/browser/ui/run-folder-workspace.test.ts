/**
 * `hsstar demo`, then what its last lines advise: open the run folder in VS Code. The built
 * CLI makes the demo run in an empty folder; the served VS Code with the packaged .vsix
 * opens that run folder as its workspace; without any click the extension activates
 * (workspaceContains), opens the run and shows the HS-STaR view with its three groups,
 * counted as the CLI counted them.
 * Needs `npm run package` (which also builds dist/cli.js) and the test VS Code.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../vscode-server/served-vscode';
import { ARTIFACTS, groupCount, openWorkbench, type Workbench } from '../workbench-harness';

describe('a run folder opened as the workspace (chromium)', () => {
  let root: string;
  let runDir: string;
  let labels: { boundary: number; inlier: number; outlier: number };
  let workbench: Workbench | undefined;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'hsstar-run-folder-'));
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'demo'], { cwd: root, timeout: 120_000 });
    const advice = stdout.match(/^Review it in VS Code: code "(.+)"/m);
    assert.ok(advice, `the demo says how to open its run:\n${stdout}`);
    runDir = advice[1]!;
    const counted = stdout.match(/labels: (\d+) boundary, (\d+) inlier, (\d+) outlier/);
    assert.ok(counted, stdout);
    labels = { boundary: Number(counted[1]), inlier: Number(counted[2]), outlier: Number(counted[3]) };
    workbench = await openWorkbench('run-folder', (line) => console.log(line), runDir);
  });

  after(async () => {
    await workbench?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows the run in the HS-STaR view with its three groups, without any click', async () => {
    const { page } = workbench!;
    for (const group of ['Boundary', 'Inlier', 'Outlier']) {
      await page.locator(`.monaco-list-row[aria-label^="${group} group"]`).first().waitFor({ timeout: 60_000 });
    }
    await page.screenshot({ path: join(ARTIFACTS, 'run-folder-workspace.png') });
    assert.deepEqual(
      { boundary: await groupCount(page, 'Boundary'), inlier: await groupCount(page, 'Inlier'), outlier: await groupCount(page, 'Outlier') },
      labels,
      'the tree counts what the CLI counted',
    );
    assert.equal(await page.getByRole('button', { name: 'Open Demo Run' }).count(), 0, 'no welcome content: a run is open');
    assert.deepEqual(workbench!.pageErrors, []);
  });
});
