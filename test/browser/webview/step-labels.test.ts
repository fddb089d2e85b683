import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { activeEvents, relabel } from '../../../src/core/state/derive';
import type { RunState } from '../../../src/core/state/run-state';
import { parseWebviewRequest } from '../../../src/protocol';
import { eventForIntent, isEditIntent } from '../../../src/views/curator-intents';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import { derive, loadLogs } from '../../unit/views/real-run';
import { closeBrowser, openInspector, type InspectorPage } from './inspector-page';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../vscode-server/served-vscode';

const artifacts = join(repoRoot, 'test-artifacts');

/**
 * Rating steps with the keyboard alone, in headless Chromium under the inspector's CSP. The
 * test plays the extension: every request the page posts is parsed by the protocol, turned
 * into an event by the same function the extension uses, folded into the run by the real
 * derivation, and answered with a fresh render, so what the page shows next comes from the
 * events it caused.
 */

let inspector: InspectorPage;
let state: RunState;
let log: CuratorEvent[] = [];
let handled = 0;
let problemId = '';

function render(): Promise<void> {
  const payload = buildInspectorPayload(problemId, { state, tree: new TreeModel(state), compare: null, canUndo: log.length > 0, runsEnabled: true })!;
  return inspector.post({ kind: 'render', payload });
}

/** Answers every request posted since the last call, as the extension's panel does. */
async function serve(): Promise<CuratorEvent[]> {
  const posted = await inspector.posted();
  const fresh: CuratorEvent[] = [];
  for (const raw of posted.slice(handled)) {
    handled++;
    const parsed = parseWebviewRequest(raw);
    assert.ok(parsed.ok, `the page posted a message the protocol refuses: ${JSON.stringify(raw)}`);
    const intent = parsed.value.intent;
    if (!isEditIntent(intent)) continue;
    const result = eventForIntent(intent, state, { id: `ev${log.length + 1}`, at: new Date().toISOString(), author: 'ann' });
    assert.ok(result.ok, result.ok ? '' : result.error);
    log.push(result.event);
    fresh.push(result.event);
    state = relabel({ ...state, events: activeEvents(log) });
    await inspector.post({ kind: 'reply', seq: parsed.value.seq });
  }
  if (fresh.length) await render();
  return fresh;
}

/** Presses a key, waits for the page to post `count` requests, serves them. */
async function press(key: string, count = 1): Promise<CuratorEvent[]> {
  const before = (await inspector.posted()).length;
  await inspector.page.keyboard.press(key);
  await inspector.page.waitForFunction(([n, c]) => (window as unknown as { __posted: unknown[] }).__posted.length >= n! + c!, [before, count]);
  return serve();
}

function cursor() {
  return inspector.page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return { step: a?.dataset.step ?? null, cursor: a?.dataset.cursor ?? null, in: a?.closest('[data-testid^="response-body-"]')?.getAttribute('data-testid') ?? null };
  });
}

before(async () => {
  state = derive(loadLogs());
  problemId = state.problems.find((p) => p.responses[0]!.steps.length >= 5 && p.responses[1]!.steps.length >= 2)!.problem.id;
  mkdirSync(artifacts, { recursive: true });
  inspector = await openInspector();
  await inspector.page.setViewportSize({ width: 1000, height: 900 });
  await inspector.ready();
  handled = (await inspector.posted()).length;
  await render();
  await inspector.page.waitForSelector('[data-testid="responses"]');
});

after(async () => {
  await inspector?.close();
  await closeBrowser();
});

test('s puts the cursor on the first step; + and 0 rate it and move on; f rates the error and the steps before it in one event', async () => {
  await inspector.page.keyboard.press('s');
  await inspector.page.waitForSelector('[data-cursor="true"]');
  assert.deepEqual(await cursor(), { step: '0', cursor: 'true', in: 'response-body-0' });

  const [first] = await press('+');
  assert.deepEqual([first!.type, first!.author], ['step-labels', 'ann']);
  assert.ok(first!.type === 'step-labels' && first!.responseId === `${problemId}:0`);
  assert.deepEqual(first!.type === 'step-labels' && first!.steps, [{ step: 0, rating: 1, note: '', unsure: false }]);
  await inspector.page.waitForSelector('[data-testid="step-label-0-0"]');
  assert.equal(await inspector.page.textContent('[data-testid="step-label-0-0"]'), '+1');
  assert.deepEqual(await cursor(), { step: '1', cursor: 'true', in: 'response-body-0' });

  const [neutral] = await press('0');
  assert.deepEqual(neutral!.type === 'step-labels' && neutral!.steps, [{ step: 1, rating: 0, note: '', unsure: false }]);
  await inspector.page.keyboard.press('ArrowDown');
  await inspector.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.step === '3');

  const [firstError] = await press('f');
  // Steps 1..3 before the error: +1, the neutral 0 kept, +1; step 4 −1.
  assert.deepEqual(firstError!.type === 'step-labels' && firstError!.steps.map((s) => [s.step, s.rating]), [[0, 1], [1, 0], [2, 1], [3, -1]]);
  await inspector.page.waitForSelector('[data-testid="audit-0"]');
  assert.match((await inspector.page.textContent('[data-testid="audit-0"]'))!, /first error at step 4 of \d+/);
  assert.equal(await inspector.page.textContent('[data-testid="step-label-0-3"]'), '−1');
  await inspector.page.locator('[data-testid="response-0"]').screenshot({ path: join(artifacts, 'inspector-step-labels.png') });
});

test('n adds a note with Enter, u marks a step unsure, Ctrl+Z undoes the last rating', async () => {
  await inspector.page.keyboard.press('n');
  await inspector.page.waitForSelector('[data-testid="note-form"]');
  await inspector.page.keyboard.type('divides by zero');
  const [noted] = await press('Enter');
  assert.deepEqual(noted!.type === 'step-labels' && noted!.steps, [{ step: 3, rating: -1, note: 'divides by zero', unsure: false }]);
  await inspector.page.waitForFunction(() => document.querySelector('[data-testid="step-label-0-3"]')?.textContent === '−1 — divides by zero');
  // The cursor came back to the step after the dialog closed.
  assert.deepEqual(await cursor(), { step: '3', cursor: 'true', in: 'response-body-0' });

  const [unsure] = await press('u');
  assert.deepEqual(unsure!.type === 'step-labels' && unsure!.steps, [{ step: 3, rating: -1, note: 'divides by zero', unsure: true }]);
  await inspector.page.waitForFunction(() => document.querySelector('[data-testid="step-label-0-3"]')?.textContent?.startsWith('?'));
  assert.match((await inspector.page.textContent('[data-testid="audit-0"]'))!, /3 of \d+ rated from the start, no error yet/);

  const [undo] = await press('Control+z');
  assert.deepEqual(undo!.type === 'undo' && undo!.undoes, unsure!.id);
  await inspector.page.waitForFunction(() => document.querySelector('[data-testid="step-label-0-3"]')?.textContent === '−1 — divides by zero');
  assert.match((await inspector.page.textContent('[data-testid="audit-0"]'))!, /first error at step 4/);
});

test('↓ past the last step goes on to the next response; b flags the problem statement; Delete clears a rating', async () => {
  const steps = state.byId.get(problemId)!.responses[0]!.steps.length;
  for (let i = 3; i < steps - 1; i++) await inspector.page.keyboard.press('ArrowDown');
  await inspector.page.waitForFunction((s) => (document.activeElement as HTMLElement | null)?.dataset.step === String(s), steps - 1);
  await inspector.page.keyboard.press('ArrowDown');
  await inspector.page.waitForFunction(() => document.activeElement?.closest('[data-testid="response-body-1"]') !== null);
  assert.deepEqual(await cursor(), { step: '0', cursor: 'true', in: 'response-body-1' });

  const [flag] = await press('b');
  assert.ok(flag!.type === 'step-labels' && flag!.badProblem === true && flag!.steps.length === 0 && flag!.responseId === `${problemId}:1`);
  await inspector.page.waitForSelector('[data-testid="audit-1"]');
  assert.match((await inspector.page.textContent('[data-testid="audit-1"]'))!, /flagged: bad problem statement/);

  await press('-');
  await inspector.page.waitForSelector('[data-testid="step-label-1-0"]');
  const [cleared] = await press('Delete');
  assert.deepEqual(cleared!.type === 'step-labels' && cleared!.steps, [{ step: 0, rating: null, note: '', unsure: false }]);
  await inspector.page.waitForSelector('[data-testid="step-label-1-0"]', { state: 'detached' });
  const violations = await inspector.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  assert.deepEqual(violations, [], 'nothing the CSP forbids');
  assert.ok(log.every((e) => e.author === 'ann' && typeof e.at === 'string'));
});
