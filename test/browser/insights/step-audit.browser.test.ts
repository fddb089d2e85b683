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
 * The Steps tab on the demo run (recorded real responses and PRM scores) after step labels
 * were recorded through `hsstar label-steps`. The labels follow a fixed rule, not a human:
 * a correct answer has every step +1, a wrong one its first error at its last step (where
 * the wrong answer is stated). What the page shows must be what the core computed. The
 * demo's recorded PRM gives every step of a response the same score, so its first error is
 * step 1 or none.
 */

let harness: InsightsPage;
let tmp: string;
let state: RunState;

async function cli(argv: string[]): Promise<void> {
  const c = captureIO(tmp);
  assert.equal(await main(argv, c.io), 0, c.err());
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hsstar-steps-'));
  await cli(['demo', 'run']);
  const unlabelled = await readRunState(join(tmp, 'run'));
  // Ten correct and ten wrong responses, the first of each kind in dataset order.
  const taken = { right: 0, wrong: 0 };
  for (const p of unlabelled.problems) {
    for (const v of p.responses) {
      if (!v.grade || v.steps.length === 0) continue;
      const kind = v.grade.correct ? 'right' : 'wrong';
      if (taken[kind] >= 10) continue;
      taken[kind]++;
      const args = v.grade.correct ? ['--labels', v.steps.map(() => '1').join(',')] : ['--first-error', String(v.steps.length)];
      await cli(['label-steps', 'run', v.response.id, ...args, '--author', 'rule']);
    }
  }
  state = await readRunState(join(tmp, 'run'));
  harness = await openInsightsPage();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await harness?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the Steps tab shows the PRM against the step labels, the worst steps and the audit queue as the core computed them', async () => {
  const data = InsightsPayload.parse(JSON.parse(JSON.stringify(insightsData(state))));
  const m = data.stepAudit.prm;
  assert.ok(m.erroneous > 0 && m.correct > 0, `both kinds labelled: ${m.erroneous} erroneous, ${m.correct} correct`);
  const page = harness.page;
  await harness.render(data);
  await page.click('[data-testid="tab-steps"]');
  await page.waitForSelector('[data-testid="step-audit"]');
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  const summary = (await page.textContent('[data-testid="step-audit-summary"]'))!;
  assert.equal(
    summary,
    `Over ${m.responses} responses with finished step labels, at threshold 0.5: first-error accuracy ${pct(m.at.erroneousAccuracy)} on the ${m.erroneous} erroneous and ${pct(m.at.correctAccuracy)} on the ${m.correct} correct responses; F1 ${pct(m.at.f1)}.`,
  );
  assert.match((await page.textContent('[data-testid="step-audit-best"]'))!, new RegExp(`^Best threshold ${m.best!.threshold.toFixed(3)}: .*F1 ${pct(m.best!.f1).replace('.', '\\.')}\\.$`));
  assert.match((await page.textContent('[data-testid="step-auroc"]'))!, new RegExp(`\\(${m.steps.negative} rated −1\\): ${m.stepAuroc!.toFixed(3)}\\.`));
  assert.equal(await page.locator('[data-testid="negative-high"] tbody tr').count(), m.negativeHigh.length);
  assert.equal(await page.locator('[data-testid="audit-queue"] tbody tr').count(), data.stepAudit.queue.items.length);
  await page.screenshot({ path: join(artifacts, 'insights-steps.png'), fullPage: false });

  // A −1 step row opens the inspector at that response and step.
  const top = m.negativeHigh[0]!;
  await page.click('[data-testid="negative-high"] tbody tr:first-child button');
  const last = (await harness.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'open-problem', problemId: top.problemId, responseId: top.responseId, stepIndex: top.step });
  assert.deepEqual(harness.errors, []);
  assert.deepEqual(await harness.violations(), []);
});
