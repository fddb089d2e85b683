/**
 * The packaged extension in a real workbench: the .vsix from `npm run package` is installed
 * into the served VS Code 1.139.1, and Debian's chromium drives the UI: the HS-STaR view,
 * the demo run, the tree's groups, the inspector webview (nested iframes), its rendered
 * math and heat strips, the audit keys, a label override with a reason, and the run's
 * events files on disk, and a second annotator's CLI decision making a Conflict group.
 * Screenshots go to test-artifacts/.
 * Needs `npm run package` and `node scripts/install-test-vscode.mjs` first (npm run test:browser does both).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { repoRoot, type ServedVSCode } from '../../vscode-server/served-vscode';
import {
  ARTIFACTS,
  demoRunEvents,
  findFile,
  groupCount,
  inspectorFrame,
  openDemoRun,
  openWorkbench,
  shownProblemId,
  type Workbench,
} from '../workbench-harness';

const EXTENSION_FOLDER = /^hsstar\.hsstar-curator-\d+\.\d+\.\d+$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the packaged extension in a real workbench (chromium)', () => {
  let workbench: Workbench;
  let served: ServedVSCode;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    workbench = await openWorkbench('ui', (line) => console.log(line));
    ({ served, page, pageErrors } = workbench);
  });

  after(async () => {
    await workbench?.close();
  });

  it('installed the .vsix: bundles and media, no sources, tests or maps', () => {
    const folder = readdirSync(served.extensionsDir).find((n) => EXTENSION_FOLDER.test(n));
    assert.ok(folder, `extension installed in ${served.extensionsDir}: ${readdirSync(served.extensionsDir).join(', ')}`);
    const root = join(served.extensionsDir, folder);
    assert.ok(existsSync(join(root, 'dist/extension.js')));
    assert.ok(existsSync(join(root, 'dist/webview.js')));
    for (const kept of ['src', 'test', 'node_modules', 'webview']) assert.equal(existsSync(join(root, kept)), false, `${kept}/ is not shipped`);
    assert.equal(findFile(root, '.map'), undefined, 'no source maps shipped');
    // Every file the build put in dist/ for VS Code (all but maps and the CLI) is in the package.
    const built = filesUnder(join(repoRoot, 'dist')).filter((f) => !f.endsWith('.map') && !f.endsWith('/cli.js'));
    const missing = built.map((f) => f.slice(repoRoot.length + 1)).filter((rel) => !existsSync(join(root, rel)));
    assert.deepEqual(missing, [], 'built files missing from the .vsix');
  });

  it('opens the HS-STaR view and builds the demo run from its welcome button', async () => {
    await openDemoRun(page);
    await page.screenshot({ path: join(ARTIFACTS, 'tree-groups.png') });
  });

  it('expands Boundary and opens a problem in the inspector with rendered math and heat strips', async () => {
    const rows = page.locator('.monaco-list-row');
    const before = await rows.count();
    await rows.filter({ hasText: 'Boundary' }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.monaco-list-row').length > n, before);
    // The Boundary group's problems follow its row; open the first whose question has TeX in it.
    const groupIndex = Number(await rows.filter({ hasText: 'Boundary' }).first().getAttribute('data-index'));
    let withMath = -1;
    for (let i = groupIndex + 1; withMath < 0; i++) {
      const row = page.locator(`.monaco-list-row[data-index="${i}"]`).first();
      assert.ok((await row.count()) > 0, 'a Boundary problem with TeX in its question');
      const text = (await row.textContent()) ?? '';
      assert.ok(!/^(Inlier|Outlier)/.test(text.trim()), 'a Boundary problem with TeX in its question');
      if (text.includes('$')) withMath = i;
    }
    await page.locator(`.monaco-list-row[data-index="${withMath}"]`).first().click();
    const frame = await inspectorFrame(page);
    await frame.locator('.heat-strip').first().waitFor();
    // Rendered math: KaTeX's visible HTML says what its TeX annotation says, in KaTeX's font, with a size.
    const math = frame.locator('[data-testid="question"] .katex, [data-testid="reference-answer"] .katex').first();
    await math.waitFor();
    const tex = (await math.locator('annotation').textContent())!.trim();
    const shownText = (await math.locator('.katex-html').innerText()).replace(/\s+/g, '');
    assert.ok(tex.length > 0 && shownText.length > 0, `math rendered: ${tex} → ${shownText}`);
    const box = await math.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, 'the math takes space on screen');
    assert.equal(await frame.evaluate(async () => (await document.fonts.ready, document.fonts.check('1em KaTeX_Main'))), true, 'KaTeX fonts loaded');
    const strips = frame.locator('.heat-strip');
    assert.ok((await strips.count()) > 0, 'a heat strip per response');
    assert.ok((await strips.first().locator('.heat-cell').count()) > 0, 'the strip has a cell per step');
    await strips.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });
  });

  it('walks the audit keys: j/k move, r marks reviewed, 1 overrides with a reason; events.jsonl records both', async () => {
    let frame = await inspectorFrame(page);
    const first = await shownProblemId(frame);
    // Keys go to the webview's own document, as when the curator has clicked into it.
    const press = (key: string) => frame.locator('body').press(key);
    await press('j');
    await frame.waitForFunction((id) => !document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(id), first);
    const second = await shownProblemId(frame);
    assert.notEqual(second, first);
    await press('k');
    await frame.waitForFunction((id) => document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(id), first);

    frame = await inspectorFrame(page);
    await press('r');
    await frame.locator('[data-testid="reviewed"]', { hasText: 'yes' }).waitFor();

    await press('3');
    await frame.locator('[data-testid="override-form"]').waitFor();
    await press('Escape');
    await frame.locator('[data-testid="override-form"]').waitFor({ state: 'detached' });

    const boundaryBefore = await groupCount(page, 'Boundary');
    const inlierBefore = await groupCount(page, 'Inlier');
    assert.ok(boundaryBefore > 0 && inlierBefore >= 0, `tree counts read: ${boundaryBefore}, ${inlierBefore}`);
    await press('1');
    const reason = 'solved by every response in the audit';
    await frame.locator('[data-testid="override-reason"] textarea').fill(reason);
    await frame.locator('[data-testid="override-submit"]').click();
    await frame.locator('[data-testid="label-source"]', { hasText: 'curator override' }).waitFor();
    await page.locator(`.monaco-list-row[aria-label^="Inlier group, ${inlierBefore + 1}"]`).waitFor();
    assert.equal(await groupCount(page, 'Boundary'), boundaryBefore - 1, 'the tree moved the problem out of Boundary');
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-override.png') });

    const events = demoRunEvents(served);
    const override = events.find((e) => e.type === 'label-override' && e.problemId === first);
    assert.ok(override, `override of ${first} in ${JSON.stringify(events)}`);
    assert.equal(override.label, 'inlier');
    assert.equal(override.reason, reason);
    assert.ok(events.some((e) => e.problemId === first && e.type !== 'label-override'), 'the review is logged too');
    assert.deepEqual(pageErrors, []);
  });

  it('a second annotator disagrees through the CLI: the tree shows a Conflict group, the inspector each annotator\'s decision', async () => {
    const runDir = dirname(findFile(dirname(served.userDataDir), join('demo-run', 'hsstar.json'))!);
    const problemId = demoRunEvents(served).find((e) => e.type === 'label-override')!.problemId as string;
    const reason = 'the reference answer is wrong';
    // Another process, another author, while the extension has the run open.
    await promisify(execFile)(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'label', runDir, problemId, '--as', 'outlier', '--reason', reason, '--author', 'second-annotator']);
    await page.locator('.monaco-list-row[aria-label^="Conflict group, 1"]').waitFor({ timeout: 30_000 });
    const frame = await inspectorFrame(page);
    await frame.locator('[data-testid="team-kind"]', { hasText: 'Conflict' }).waitFor();
    const decisions = await frame.locator('[data-testid="decision"]').allTextContents();
    assert.equal(decisions.length, 2, decisions.join(' | '));
    assert.ok(decisions.some((d) => d.includes('Inlier') && d.includes('solved by every response in the audit')), decisions.join(' | '));
    assert.ok(decisions.some((d) => d.startsWith('second-annotator: Outlier') && d.includes(reason)), decisions.join(' | '));
    await page.screenshot({ path: join(ARTIFACTS, 'tree-conflict.png') });
    assert.deepEqual(pageErrors, []);
  });

  it('with reviews assigned, j / k walk the author\'s own unreviewed problems, across groups', async () => {
    const runDir = dirname(findFile(dirname(served.userDataDir), join('demo-run', 'hsstar.json'))!);
    const mine = demoRunEvents(served).find((e) => e.type === 'label-override' && e.author !== 'second-annotator')!;
    const me = mine.author as string;
    const ids = readFileSync(join(runDir, 'problems.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    const [a, b] = ids.filter((id) => id !== mine.problemId).slice(-2);
    // Written as `hsstar assign` writes it: the current problem (already reviewed by me), then two more; one is bob's only.
    const items = [mine.problemId, ids[0]!, a, b].map((problemId, i) => ({ problemId, annotators: i === 1 ? ['bob'] : [me, 'bob'] }));
    writeFileSync(join(runDir, 'assignments.json'), JSON.stringify({ version: 1, seed: 1, overlap: 2, annotators: [me, 'bob'], at: new Date().toISOString(), items }));
    const frame = await inspectorFrame(page);
    const press = (key: string) => frame.locator('body').press(key);
    const shows = (id: string) => frame.waitForFunction((x) => document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(`${x} `), id);
    await press('j');
    await shows(a!);
    await press('j');
    await shows(b!);
    await press('j');
    await frame.locator('text=No later unreviewed problem is assigned to you.').waitFor();
    await press('k');
    await shows(a!);
    assert.deepEqual(pageErrors, []);
  });
});
