import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { insightsData } from '../../../src/core/insights/insights-data';
import type { RunState } from '../../../src/core/state/run-state';
import { readRunState } from '../../../src/pipeline/read-run-state';
import { InsightsPayload } from '../../../src/protocol-insights';
import { captureIO } from '../../unit/dataset/capture';
import { artifacts, openInsightsPage, type InsightsPage } from './page-harness';

/**
 * The panel on a run made by the real pipeline: `hsstar demo` (50 MATH problems, recorded
 * real responses and reward scores replayed from 127.0.0.1), then a next round created with
 * `hsstar init --next-round-of`. The tables must show what the core computed from the folder.
 */

let harness: InsightsPage;
let tmp: string;
let demo: { state: RunState; failures: number };
let round1: RunState;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hsstar-insights-'));
  const c = captureIO(tmp);
  assert.equal(await main(['demo', 'round0'], c.io), 0, c.err());
  demo = { state: await readRunState(join(tmp, 'round0')), failures: 0 };
  const n = captureIO(tmp);
  assert.equal(await main(['init', 'round1', '--next-round-of', 'round0', '--policy-model', 'policy-r1'], n.io), 0, n.err());
  round1 = await readRunState(join(tmp, 'round1'));
  harness = await openInsightsPage();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await harness?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the demo run: counts, estimation, reward model and budget as the core computed them', async () => {
  const data = InsightsPayload.parse(JSON.parse(JSON.stringify(insightsData(demo.state))));
  const page = harness.page;
  await harness.render(data);
  await page.waitForSelector('[data-testid="count-boundary"]:not(:empty)');
  const c = demo.state.counts;
  for (const label of ['inlier', 'outlier', 'boundary', 'unlabelled'] as const) {
    assert.equal(Number(await page.textContent(`[data-testid="count-${label}"]`)), c[label], label);
  }
  await page.screenshot({ path: join(artifacts, 'insights-demo-calibration.png') });

  await page.click('[data-testid="tab-estimation"]');
  const e = data.estimation;
  assert.ok(e.compared > 0, 'the demo re-sampled its Boundary problems');
  assert.match((await page.textContent('[data-testid="agreement"]'))!, new RegExp(`for ${e.agreeing} of ${e.compared} problems: ${(100 * e.agreement!).toFixed(1)} %`));

  await page.click('[data-testid="tab-reward"]');
  assert.match((await page.textContent('[data-testid="reward-debug"]'))!, new RegExp(`over the run: ${data.rewardDebug.runAuroc!.toFixed(3)}`));
  assert.equal(await page.locator('[data-testid="correct-low"] tbody tr').count(), data.rewardDebug.correctLow.length);
  await page.screenshot({ path: join(artifacts, 'insights-demo-reward-model.png') });

  await page.click('[data-testid="tab-budget"]');
  assert.match((await page.textContent('[data-testid="budget"]'))!, new RegExp(`${data.budget.total.responses} of ${data.budget.planned.total} planned responses`));
  const stageRows = await page.locator('[data-testid="budget-stages"] tbody tr').allTextContents();
  assert.ok(stageRows[0]!.startsWith(`pre-sampling${data.budget.byStage.pre.responses}${data.budget.byStage.pre.promptTokens}`));
  await page.screenshot({ path: join(artifacts, 'insights-demo-budget.png') });

  await page.click('[data-testid="tab-rounds"]');
  assert.match((await page.textContent('[data-testid="rounds"]'))!, /Round 0: this run is a first round/);
  assert.deepEqual(harness.errors, []);
  assert.deepEqual(await harness.violations(), []);
});

test('the next round compares its labels with the demo round', async () => {
  const data = InsightsPayload.parse(JSON.parse(JSON.stringify(insightsData(round1, { previous: demo.state }))));
  assert.equal(data.rounds!.previousRound, 0);
  assert.equal(data.rounds!.currentRound, 1);
  const page = harness.page;
  await harness.render(data);
  await page.click('[data-testid="tab-rounds"]');
  // Nothing is sampled in round 1 yet: every problem moved from its round-0 label to unlabelled.
  assert.match((await page.textContent('[data-testid="rounds"]'))!, /Round 0 → round 1: 50 problems changed label; 0 Boundary problems became Inlier/);
  const matrix = await page.locator('[data-testid="round-matrix"] tbody tr').allTextContents();
  assert.equal(matrix[2], `boundary000${demo.state.counts.boundary}`);
  await page.screenshot({ path: join(artifacts, 'insights-rounds.png') });
  // Back on the scatter: the new round's view replaced the old one.
  await page.click('[data-testid="tab-calibration"]');
  assert.equal(await page.locator('[data-testid="scatter"]').count(), 1);
  assert.equal(Number(await page.textContent('[data-testid="count-unlabelled"]')), 50);
  assert.deepEqual(harness.errors, []);
});
