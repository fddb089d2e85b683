import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import type { RunState } from '../../../src/core/state/run-state';
import { derive, loadLogs } from '../../unit/views/real-run';
import { closeBrowser, openInspector, type InspectorPage } from './inspector-page';

/**
 * The inspector's step-score line in headless Chromium under the inspector's CSP: a run
 * whose step scores are one score per response says so where the scores are shown; a run
 * with a PRM's own step scores names the PRM and nothing more.
 */

let inspector: InspectorPage;

function render(state: RunState) {
  const problemId = state.problems[0]!.problem.id;
  const payload = buildInspectorPayload(problemId, { state, tree: new TreeModel(state), compare: null, canUndo: false, runsEnabled: true })!;
  return inspector.post({ kind: 'render', payload });
}

async function prmLineText(): Promise<string> {
  const line = inspector.page.locator('[data-testid="prm-line"]');
  await line.waitFor();
  return (await line.innerText()).trim();
}

before(async () => {
  inspector = await openInspector();
  await inspector.ready();
});

after(async () => {
  await inspector?.close();
  await closeBrowser();
});

test('one score per response repeated on every step is said on the step-score line', async () => {
  const logs = loadLogs();
  // As the demo replays it: each response's one recorded score on every step.
  const prm = new Map([...logs.prm].map(([id, s]) => [id, { ...s, scores: s.scores.map(() => s.scores[0]!) }]));
  await render(derive({ ...logs, prm }));
  const text = await prmLineText();
  assert.match(text, /one score per response, repeated on every step/);
  assert.match(text, /the weakest step is always step 1/);
});

test('a PRM\'s own step scores get the PRM\'s name only', async () => {
  await render(derive(loadLogs()));
  await inspector.page.waitForFunction(() => !document.querySelector('[data-testid="prm-line"]')?.textContent?.includes('one score per response'));
  assert.equal(await prmLineText(), 'PRM prm');
});
