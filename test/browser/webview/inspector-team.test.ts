import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { derive, loadLogs, stamp } from '../../unit/views/real-run';
import { closeBrowser, openInspector, type InspectorPage } from './inspector-page';

/**
 * The per-annotator view in headless Chromium under the inspector's CSP: each annotator's
 * decision with reason and time, how they resolve (conflict, lead), and the run's
 * GUIDELINES.md as inert text.
 */

let inspector: InspectorPage;
const logs = loadLogs();
const base = derive(logs);
const problemId = base.problems.find((p) => p.effective === 'boundary')!.problem.id;

function render(events: CuratorEvent[], guidelines: string | null) {
  const state = derive(logs, events);
  const payload = buildInspectorPayload(problemId, { state, tree: new TreeModel(state), compare: null, canUndo: false, runsEnabled: true, guidelines })!;
  return inspector.post({ kind: 'render', payload });
}

async function shown(page: InspectorPage['page']) {
  return page.evaluate(() => ({
    kind: document.querySelector('[data-testid="team-kind"]')?.textContent ?? null,
    decisions: [...document.querySelectorAll('[data-testid="decision"]')].map((li) => li.textContent),
    nav: document.querySelector('[data-testid="nav-position"]')?.textContent ?? null,
    guidelines: document.querySelector('[data-testid="guidelines"] pre')?.textContent ?? null,
    injected: document.querySelectorAll('[data-testid="guidelines"] img, [data-testid="annotators"] img').length,
  }));
}

before(async () => {
  inspector = await openInspector();
  await inspector.ready();
});

after(async () => {
  await inspector?.close();
  await closeBrowser();
});

test('two annotators who disagree: a conflict, each decision with its reason and time; a lead settles it', async () => {
  const ann = { ...stamp('ann'), type: 'label-override' as const, problemId, label: 'inlier' as const, reason: 'the steps are all sound' };
  const bob = { ...stamp('bob <img src=x onerror=alert(1)>'), type: 'label-override' as const, problemId, label: 'outlier' as const, reason: 'answer key is wrong <img src=x>' };
  const guide = '# Labelling guide\n\nOutlier: the reference answer is wrong. <img src=x onerror=alert(1)>';
  await render([ann, bob], guide);
  await inspector.page.waitForSelector('[data-testid="annotators"]');
  let view = await shown(inspector.page);
  assert.match(view.kind!, /^Conflict: the annotators disagree/);
  assert.deepEqual(view.decisions, [
    `ann: Inlier — “the steps are all sound”, ${ann.at}`,
    `bob <img src=x onerror=alert(1)>: Outlier — “answer key is wrong <img src=x>”, ${bob.at}`,
  ]);
  assert.equal(view.nav, '1 / 1 in Conflict');
  assert.equal(view.guidelines, guide, 'the guidelines, as text');
  assert.equal(view.injected, 0, 'names, reasons and guidelines stay text');
  // A conflict offers its labels as resolutions; one asks for a reason and sends a resolve intent.
  assert.deepEqual(await inspector.page.$$eval('[data-testid^="resolve-"]', (bs) => bs.map((b) => b.getAttribute('data-testid'))), ['resolve-inlier', 'resolve-outlier']);
  await inspector.page.click('[data-testid="resolve-outlier"]');
  await inspector.page.fill('[data-testid="override-reason"] textarea', 'discussed: the key is wrong');
  await inspector.page.click('[data-testid="override-submit"]');
  await inspector.page.waitForFunction(() => (window as unknown as { __posted: Array<{ intent: { type: string } }> }).__posted.some((m) => m.intent.type === 'resolve-label'));
  const sent = (await inspector.posted()).find((m) => m.intent.type === 'resolve-label')!;
  assert.deepEqual(sent.intent, { type: 'resolve-label', problemId, label: 'outlier', reason: 'discussed: the key is wrong' });

  await render([ann, bob, { ...stamp('ann'), type: 'role', annotator: 'ann', role: 'lead' }], null);
  await inspector.page.waitForFunction(() => document.querySelector('[data-testid="team-kind"]')?.textContent?.startsWith('Settled'));
  view = await shown(inspector.page);
  assert.equal(view.kind, 'Settled by the lead ann');
  assert.equal(view.decisions[0], `ann (lead): Inlier — “the steps are all sound”, ${ann.at}`);
  assert.equal(view.guidelines, null, 'no GUIDELINES.md, no section');
  const label = await inspector.page.textContent('[data-testid="label"]');
  assert.match(label!, /Inlier/);
});
