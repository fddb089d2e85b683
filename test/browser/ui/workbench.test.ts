/**
 * The packaged extension in a real workbench: the .vsix from `npm run package` is installed
 * into the served VS Code 1.139.1, and Debian's chromium drives the UI: the HS-STaR view,
 * the demo run, the tree's groups, the inspector webview (nested iframes), its rendered
 * math and heat strips, the audit keys, a label override with a reason, and the run's
 * events.jsonl on disk. Screenshots go to test-artifacts/.
 * Needs `npm run package` and `node scripts/install-test-vscode.mjs` first (npm run test:browser does both).
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium, repoRoot, startServedVSCode, workbenchUrl, type ServedVSCode } from '../../vscode-server/served-vscode';

const VSIX = join(repoRoot, 'out/hsstar-curator.vsix');
const ARTIFACTS = join(repoRoot, 'test-artifacts');
const EXTENSION_FOLDER = /^hsstar\.hsstar-curator-\d+\.\d+\.\d+$/;

function findFile(dir: string, suffix: string): string | undefined {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (full.endsWith(suffix)) return full;
    if (statSync(full).isDirectory()) {
      const hit = findFile(full, suffix);
      if (hit) return hit;
    }
  }
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function inspectorFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator('[data-testid="problem-id"]').count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('the inspector webview did not render a problem');
}

async function problemId(frame: Frame): Promise<string> {
  const text = await frame.locator('[data-testid="problem-id"]').innerText();
  return text.trim().split(/\s+/)[0]!;
}

describe('the packaged extension in a real workbench (chromium)', () => {
  let served: ServedVSCode;
  let browser: Browser;
  let page: Page;
  let workspace: string;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} missing: run npm run package`);
    mkdirSync(ARTIFACTS, { recursive: true });
    workspace = mkdtempSync(join(tmpdir(), 'hsstar-ui-workspace-'));
    let t = Date.now();
    served = await startServedVSCode({ trusted: true, vsixFiles: [VSIX] });
    console.log(`# .vsix installed and server started in ${Date.now() - t} ms`);
    t = Date.now();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(workbenchUrl(served, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    console.log(`# chromium up and workbench shown in ${Date.now() - t} ms`);
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
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
    await page.locator('.activitybar [aria-label*="HS-STaR"]').first().click();
    const demoButton = page.getByRole('button', { name: 'Open Demo Run' });
    await demoButton.waitFor({ timeout: 30_000 });
    await demoButton.click();
    const rows = page.locator('.monaco-list-row');
    for (const group of ['Boundary', 'Inlier', 'Outlier']) {
      await rows.filter({ hasText: group }).first().waitFor({ timeout: 60_000 });
    }
    await page.screenshot({ path: join(ARTIFACTS, 'tree-groups.png') });
  });

  it('expands Boundary and opens a problem in the inspector with rendered math and heat strips', async () => {
    const rows = page.locator('.monaco-list-row');
    const before = await rows.count();
    await rows.filter({ hasText: 'Boundary' }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('.monaco-list-row').length > n, before);
    // The first row after the Boundary group is its first problem.
    const groupIndex = Number(await rows.filter({ hasText: 'Boundary' }).first().getAttribute('data-index'));
    await page.locator(`.monaco-list-row[data-index="${groupIndex + 1}"]`).first().click();
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
    const first = await problemId(frame);
    // Keys go to the webview's own document, as when the curator has clicked into it.
    const press = (key: string) => frame.locator('body').press(key);
    await press('j');
    await frame.waitForFunction((id) => !document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(id), first);
    const second = await problemId(frame);
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

    // A group row's accessible name is "<Group> group, <count> …".
    const groupCount = async (name: string) =>
      Number((await page.locator(`.monaco-list-row[aria-label^="${name} group"]`).getAttribute('aria-label'))?.match(/group, (\d+)/)?.[1]);
    const boundaryBefore = await groupCount('Boundary');
    const inlierBefore = await groupCount('Inlier');
    assert.ok(boundaryBefore > 0 && inlierBefore >= 0, `tree counts read: ${boundaryBefore}, ${inlierBefore}`);
    await press('1');
    const reason = 'solved by every response in the audit';
    await frame.locator('[data-testid="override-reason"] textarea').fill(reason);
    await frame.locator('[data-testid="override-submit"]').click();
    await frame.locator('[data-testid="label-source"]', { hasText: 'curator override' }).waitFor();
    await page.locator(`.monaco-list-row[aria-label^="Inlier group, ${inlierBefore + 1}"]`).waitFor();
    assert.equal(await groupCount('Boundary'), boundaryBefore - 1, 'the tree moved the problem out of Boundary');
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-override.png') });

    const eventsFile = findFile(dirname(served.userDataDir), join('demo-run', 'events.jsonl'));
    assert.ok(eventsFile, 'the demo run folder has an event log');
    const events = readFileSync(eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'event').map((l) => l.event);
    const override = events.find((e) => e.type === 'label-override' && e.problemId === first);
    assert.ok(override, `override of ${first} in ${JSON.stringify(events)}`);
    assert.equal(override.label, 'inlier');
    assert.equal(override.reason, reason);
    assert.ok(events.some((e) => e.problemId === first && e.type !== 'label-override'), 'the review is logged too');
    assert.deepEqual(pageErrors, []);
  });
});
