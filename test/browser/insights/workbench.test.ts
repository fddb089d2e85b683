/**
 * The insights panel in a real workbench: the packaged .vsix in the served VS Code, driven
 * by Debian's chromium. Opens the demo run, runs "HS-STaR: Show Insights" from the command
 * palette, drags tau_h in the calibration scatter, applies it, and checks the run's
 * events.jsonl and the Questions tree; then opens a problem from a dot.
 * Needs `npm run package` and the test VS Code (`npm run test:insights:workbench` does both).
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

/** The webview frame that holds `selector` (webviews are nested iframes). */
async function frameWith(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview shows ${selector}`);
}

async function counts(frame: Frame): Promise<number[]> {
  const out: number[] = [];
  for (const l of ['inlier', 'outlier', 'boundary', 'unlabelled']) out.push(Number(await frame.locator(`[data-testid="count-${l}"]`).textContent()));
  return out;
}

describe('the insights panel in a real workbench (chromium)', () => {
  let served: ServedVSCode;
  let browser: Browser;
  let page: Page;
  let workspace: string;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} missing: run npm run package`);
    mkdirSync(ARTIFACTS, { recursive: true });
    workspace = mkdtempSync(join(tmpdir(), 'hsstar-insights-workspace-'));
    served = await startServedVSCode({ trusted: true, vsixFiles: [VSIX] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(workbenchUrl(served, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the demo run in the insights panel; a dragged and applied tau_h is logged and relabels the tree', async () => {
    await page.locator('.activitybar [aria-label*="HS-STaR"]').first().click();
    const demoButton = page.getByRole('button', { name: 'Open Demo Run' });
    await demoButton.waitFor({ timeout: 30_000 });
    await demoButton.click();
    const rows = page.locator('.monaco-list-row');
    for (const group of ['Boundary', 'Inlier', 'Outlier']) await rows.filter({ hasText: group }).first().waitFor({ timeout: 60_000 });
    const groupCount = async (name: string) =>
      Number((await page.locator(`.monaco-list-row[aria-label^="${name} group"]`).getAttribute('aria-label'))?.match(/group, (\d+)/)?.[1]);
    const treeBefore = { inlier: await groupCount('Inlier'), boundary: await groupCount('Boundary') };

    await page.keyboard.press('F1');
    await page.keyboard.type('HS-STaR: Show Insights');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Insights' }).first().waitFor();
    await page.keyboard.press('Enter');
    const frame = await frameWith(page, '[data-testid="count-boundary"]:not(:empty)', 60_000);
    const before = await counts(frame);
    assert.equal(before[0], treeBefore.inlier, 'the panel counts what the tree shows');
    assert.equal(before[2], treeBefore.boundary);
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-insights.png') });

    // Drag tau_h down to 0.5: problems always solved with phi_r in (0.5, tau_h] become Inlier.
    const over = (await frame.locator('[data-testid="scatter"] .u-over').boundingBox())!;
    const yOf = (v: number) => over.y + ((1.02 - v) / 1.04) * over.height;
    const tauHigh = Number(await frame.locator('[data-testid="tau-high"]').inputValue());
    await page.mouse.move(over.x + over.width / 2, yOf(tauHigh));
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(over.x + over.width / 2, yOf(tauHigh + ((0.5 - tauHigh) * i) / 20));
    await page.mouse.up();
    const tried = { tauLow: Number(await frame.locator('[data-testid="tau-low"]').inputValue()), tauHigh: Number(await frame.locator('[data-testid="tau-high"]').inputValue()) };
    assert.ok(Math.abs(tried.tauHigh - 0.5) < 0.02, `tau_h followed the mouse to ${tried.tauHigh}`);
    const dragged = await counts(frame);
    assert.ok(dragged[0]! > before[0]!, `more Inliers under a lower tau_h: ${before} -> ${dragged}`);

    await frame.locator('[data-testid="apply"]').click();
    // The extension logs the event, the run relabels, and the panel re-renders with it in force.
    await frame.locator('[data-testid="cal-status"]', { hasText: `in force: τ_l ${tried.tauLow.toFixed(3)}, τ_h ${tried.tauHigh.toFixed(3)}` }).waitFor();
    assert.deepEqual(await counts(frame), dragged);
    await page.locator(`.monaco-list-row[aria-label^="Inlier group, ${dragged[0]}"]`).waitFor();
    const eventsFile = findFile(dirname(served.userDataDir), join('demo-run', 'events.jsonl'));
    assert.ok(eventsFile, 'the demo run folder has an event log');
    const events = readFileSync(eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'event').map((l) => l.event);
    const logged = events.find((e) => e.type === 'thresholds');
    assert.ok(logged, `a thresholds event in ${JSON.stringify(events)}`);
    assert.deepEqual([logged.tauLow, logged.tauHigh], [tried.tauLow, tried.tauHigh]);
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-insights-applied.png') });

    // The reward-model tab's first row opens its problem in the inspector.
    await frame.locator('[data-testid="tab-reward"]').click();
    const link = frame.locator('[data-testid="correct-low"] button.link').first();
    const responseId = (await link.textContent())!;
    await link.click();
    const inspector = await frameWith(page, '[data-testid="problem-id"]');
    const shown = (await inspector.locator('[data-testid="problem-id"]').innerText()).trim().split(/\s+/)[0];
    assert.equal(shown, responseId.slice(0, responseId.lastIndexOf(':')));
    // ... at that response, expanded, with its weakest step marked.
    const slot = responseId.slice(responseId.lastIndexOf(':') + 1);
    await inspector.locator(`[data-testid="response-body-${slot}"] [data-focused="step"].weakest`).waitFor({ timeout: 10_000 });
    assert.deepEqual(pageErrors, []);
  });
});
