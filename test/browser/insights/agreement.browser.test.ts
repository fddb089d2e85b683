import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { insightsData } from '../../../src/core/insights/insights-data';
import { InsightsPayload } from '../../../src/protocol-insights';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { derive, loadLogs, stamp } from '../../unit/views/real-run';
import { HAND_CASE } from '../../unit/core/team-hand-case';
import { openInsightsPage, type InsightsPage } from './page-harness';

/**
 * The Annotators tab in Chromium under the panel's CSP: kappa per pair, alpha, and the
 * conflicts, on the hand-computed case laid over five problems of the real recorded run.
 */

const logs = loadLogs();
const ids = derive(logs).problems.slice(0, 5).map((p) => p.problem.id);
const idOf = (p: string) => ids[Number(p.slice(1)) - 1]!;
const events: CuratorEvent[] = HAND_CASE.map(([author, p, label]) => ({ ...stamp(author), type: 'label-override', problemId: idOf(p), label, reason: `${author}: ${label}` }));
const payload = InsightsPayload.parse(insightsData(derive(logs, events)));
let harness: InsightsPage;

before(async () => {
  harness = await openInsightsPage();
  await harness.render(payload);
  await harness.page.click('[data-testid="tab-team"]');
  await harness.page.waitForSelector('[data-testid="kappa"]');
});

after(async () => {
  await harness?.close();
});

test('kappa per pair, alpha and the conflicts as computed by hand; a conflict opens in the inspector', async () => {
  const page = harness.page;
  const rows = await page.$$eval('[data-testid="kappa"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(rows, [
    ['ann / bob', '4', '75.0 %', '0.636'],
    ['ann / cara', '4', '75.0 %', '0.500'],
    ['bob / cara', '3', '33.3 %', '0.000'],
  ]);
  assert.match((await page.textContent('[data-testid="alpha"]'))!, /over 3 annotators and 5 problems labelled by two or more: 0\.556\./);
  const conflicts = await page.$$eval('[data-testid="conflicts"] button', (bs) => bs.map((b) => b.textContent));
  assert.deepEqual(conflicts, [idOf('p2'), idOf('p4')]);
  await page.click('[data-testid="conflicts"] button');
  await page.waitForFunction('window.__posted.some((m) => m.intent && m.intent.type === "open-problem")');
  const opened = (await harness.posted()).find((m) => m.intent.type === 'open-problem')!;
  assert.deepEqual(opened.intent, { type: 'open-problem', problemId: idOf('p2'), responseId: null, stepIndex: null });
  assert.deepEqual(harness.errors, []);
  assert.deepEqual(await harness.violations(), []);
});
