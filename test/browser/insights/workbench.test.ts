/**
 * The insights panel in a real workbench: the packaged .vsix in the served VS Code, driven
 * by Debian's chromium. Opens the demo run, runs "HS-STaR: Show Insights" from the command
 * palette, drags tau_h in the calibration scatter, applies it, and checks the run's
 * events.jsonl and the Questions tree; then opens a problem from a dot.
 * Needs `npm run package` and the test VS Code (`npm run test:insights:workbench` does both).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { ServedVSCode } from '../../vscode-server/served-vscode';
import { ARTIFACTS, demoRunEvents, frameWith, groupCount, openDemoRun, openWorkbench, shownProblemId, type Workbench } from '../workbench-harness';

async function counts(frame: Frame): Promise<number[]> {
  const out: number[] = [];
  for (const l of ['inlier', 'outlier', 'boundary', 'unlabelled']) out.push(Number(await frame.locator(`[data-testid="count-${l}"]`).textContent()));
  return out;
}

describe('the insights panel in a real workbench (chromium)', () => {
  let workbench: Workbench;
  let served: ServedVSCode;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    workbench = await openWorkbench('insights');
    ({ served, page, pageErrors } = workbench);
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the demo run in the insights panel; a dragged and applied tau_h is logged and relabels the tree', async () => {
    await openDemoRun(page);
    const treeBefore = { inlier: await groupCount(page, 'Inlier'), boundary: await groupCount(page, 'Boundary') };

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
    const events = demoRunEvents(served);
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
    const shown = await shownProblemId(inspector);
    assert.equal(shown, responseId.slice(0, responseId.lastIndexOf(':')));
    // ... at that response, expanded, with its weakest step marked.
    const slot = responseId.slice(responseId.lastIndexOf(':') + 1);
    await inspector.locator(`[data-testid="response-body-${slot}"] [data-focused="step"].weakest`).waitFor({ timeout: 10_000 });
    assert.deepEqual(pageErrors, []);
  });
});
