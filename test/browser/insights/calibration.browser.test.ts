import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { insightsData } from '../../../src/core/insights/insights-data';
import { calibrationColumns, thresholdPreview, InsightsPayload } from '../../../src/protocol-insights';
import { artifacts, openInsightsPage, type InsightsPage } from './page-harness';
import { syntheticRun } from './synthetic-run';

/**
 * The insights panel in Debian's chromium, under the panel's own CSP, fed a 50,000-problem
 * run: counts, a threshold dragged with the mouse, frame time while dragging, Apply, click
 * to open, and markup in a problem id staying text. Run with `npm run test:insights`
 * (it builds dist/ first).
 */

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const N = 50_000;

let harness: InsightsPage;
let page: Page;
const run = syntheticRun(N, 7, HOSTILE);
const payload = InsightsPayload.parse(JSON.parse(JSON.stringify(insightsData(run))));
const cols = calibrationColumns(payload.calibration);
const expected = (t: { tauLow: number; tauHigh: number }) => thresholdPreview(cols, t, payload.calibration).counts;

before(async () => {
  harness = await openInsightsPage();
  page = harness.page;
  await harness.render(payload);
  await page.waitForSelector('[data-testid="count-boundary"]:not(:empty)');
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await harness?.close();
});

async function counts(): Promise<number[]> {
  return page.$$eval(['inlier', 'outlier', 'boundary', 'unlabelled'].map((l) => `[data-testid="count-${l}"]`).join(','), (cells) =>
    cells.map((c) => Number(c.textContent)),
  );
}

/** Page position of a phi_r value on the scatter (the y scale spans -0.02 .. 1.02). */
async function yOf(value: number): Promise<{ x: number; y: number; box: { x: number; y: number; width: number; height: number } }> {
  const box = (await page.locator('[data-testid="scatter"] .u-over').boundingBox())!;
  return { x: box.x + box.width * 0.5, y: box.y + ((1.02 - value) / 1.04) * box.height, box };
}

test('the calibration view shows 50,000 problems with the counts the core computes', async () => {
  assert.deepEqual(await counts(), expected(payload.calibration.thresholds));
  assert.equal((await counts()).reduce((a, b) => a + b, 0), N);
  assert.match((await page.textContent('[data-testid="plan"]'))!, /Boundary problems: \+\d+ each/);
  assert.ok((await page.locator('[data-testid="histogram"]').count()) === 4, 'one histogram per accuracy value 0, 1/3, 2/3, 1');
  await page.screenshot({ path: join(artifacts, 'insights-calibration.png') });
});

test('dragging tau_h with the mouse relabels live and stays above 30 frames/s', async () => {
  const before = await counts();
  const start = await yOf(payload.calibration.thresholds.tauHigh);
  await page.evaluate("performance.clearMeasures('insights-frame'); window.__startFrames()");
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const target = 0.4;
  const t0 = Date.now();
  const steps = 60;
  for (let i = 1; i <= steps; i++) {
    const v = payload.calibration.thresholds.tauHigh + ((target - payload.calibration.thresholds.tauHigh) * i) / steps;
    await page.mouse.move(start.x, (await yOf(v)).y);
  }
  await page.mouse.up();
  const elapsed = Date.now() - t0;
  await page.waitForTimeout(100);
  const stats = (await page.evaluate(
    "({ gaps: window.__stopFrames(), updates: performance.getEntriesByName('insights-frame').map((e) => e.duration) })",
  )) as { gaps: number[]; updates: number[] };
  const tried = {
    tauLow: Number(await page.inputValue('[data-testid="tau-low"]')),
    tauHigh: Number(await page.inputValue('[data-testid="tau-high"]')),
  };
  assert.ok(Math.abs(tried.tauHigh - target) < 0.02, `tau_h followed the mouse to ${tried.tauHigh}`);
  const after = await counts();
  assert.notDeepEqual(after, before, 'counts changed while dragging');
  assert.ok(after[0]! > before[0]!, 'a lower tau_h makes more problems Inlier');
  assert.deepEqual(after, expected(tried));
  await page.screenshot({ path: join(artifacts, 'insights-calibration-dragged.png') });

  const sorted = [...stats.gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
  const meanUpdate = stats.updates.reduce((a, b) => a + b, 0) / stats.updates.length;
  const maxUpdate = Math.max(...stats.updates);
  console.log(
    `drag with ${N} points: ${stats.updates.length} relabel+repaint updates in ${elapsed} ms; update mean ${meanUpdate.toFixed(1)} ms, max ${maxUpdate.toFixed(1)} ms; ` +
      `frame interval median ${median.toFixed(1)} ms (${(1000 / median).toFixed(0)} frames/s), p95 ${p95.toFixed(1)} ms`,
  );
  assert.ok(stats.updates.length > 5, 'the view repainted during the drag');
  assert.ok(1000 / median >= 30, `frame rate while dragging: ${(1000 / median).toFixed(1)} frames/s`);
});

test('Apply sends the tried thresholds as an intent', async () => {
  const tried = { tauLow: Number(await page.inputValue('[data-testid="tau-low"]')), tauHigh: Number(await page.inputValue('[data-testid="tau-high"]')) };
  await page.click('[data-testid="apply"]');
  const last = (await harness.posted()).at(-1)!;
  assert.equal(last.kind, 'request');
  assert.deepEqual(last.intent, { type: 'apply-thresholds', ...tried });
});

test('clicking a dot asks to open its problem', async () => {
  // A dot away from both threshold lines (near one, the pointer grabs the line instead).
  const tried = [Number(await page.inputValue('[data-testid="tau-low"]')), Number(await page.inputValue('[data-testid="tau-high"]'))];
  const i = payload.calibration.phiR.findIndex((r, k) => k > 0 && r !== null && tried.every((t) => Math.abs(r - t) > 0.05));
  const { box } = await yOf(0);
  const x = box.x + ((payload.calibration.x[i]! + 0.2) / 1.4) * box.width;
  const y = (await yOf(payload.calibration.phiR[i]!)).y;
  await page.mouse.move(x, y);
  assert.match((await page.getAttribute('[data-testid="scatter"] .u-over', 'title')) ?? '', /^p\d+: φ_a \d\.\d\d, φ_r \d\.\d{3}, (Inlier|Outlier|Boundary)$/);
  await page.mouse.click(x, y);
  const last = (await harness.posted()).at(-1)!;
  assert.equal(last.intent.type, 'open-problem');
  const j = payload.calibration.ids.indexOf(String(last.intent.problemId));
  assert.ok(j >= 0, 'a known problem');
  // The picked dot is the one under the pointer (another dot may sit on the same pixel).
  const jx = box.x + ((payload.calibration.x[j]! + 0.2) / 1.4) * box.width;
  const jy = (await yOf(payload.calibration.phiR[j]!)).y;
  assert.ok(Math.hypot(jx - x, jy - y) <= 7, `picked dot is ${Math.hypot(jx - x, jy - y).toFixed(1)} px away`);
});

test('tables render, markup in ids stays text, and the page broke no CSP rule', async () => {
  await page.click('[data-testid="tab-reward"]');
  const table = page.locator('[data-testid="correct-low"]');
  assert.ok((await table.textContent())!.includes(HOSTILE), 'the hostile id shows as text');
  assert.equal(await page.locator('main img').count(), 0);
  await page.click('[data-testid="correct-low"] button.link');
  const last = (await harness.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'open-problem', problemId: HOSTILE, responseId: `${HOSTILE}:0`, stepIndex: 1 });
  for (const tab of ['estimation', 'budget', 'rounds']) {
    await page.click(`[data-testid="tab-${tab}"]`);
    assert.ok((await page.locator(`[data-testid="${tab}"]`).count()) === 1, `${tab} tab renders`);
  }
  await page.click('[data-testid="tab-budget"]');
  assert.match((await page.textContent('[data-testid="budget"]')) ?? '', /150000 of 400000 planned responses/);
  assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
  assert.deepEqual(await harness.violations(), []);
  assert.deepEqual(harness.errors, []);
});
