import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import type { InspectorPayload, ResponsePayload } from '../../../src/protocol';
import type { RunState } from '../../../src/core/state/run-state';
import { derive, loadLogs } from '../../unit/views/real-run';
import { closeBrowser, openInspector, type InspectorPage } from './inspector-page';

/**
 * Opening the inspector at a response and step (what a reward-model row of the insights
 * panel asks for), in headless Chromium under the inspector's CSP: the response is expanded
 * and scrolled to, the step marked and given keyboard focus; other responses stay closed.
 */

let inspector: InspectorPage;
let state: RunState;

function payloadOf(problemId: string): InspectorPayload {
  return buildInspectorPayload(problemId, { state, tree: new TreeModel(state), compare: null, canUndo: false, runsEnabled: true })!;
}

/** What the page shows for the focus: which bodies are expanded, the marked step, the focused element. */
async function focusReport(page: InspectorPage['page']) {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    const marked = [...document.querySelectorAll<HTMLElement>('[data-focused="step"]')];
    const step = marked[0];
    const rect = step?.getBoundingClientRect();
    return {
      expanded: [...document.querySelectorAll('[data-testid^="response-body-"]')].filter((b) => b.querySelector('.steps')).map((b) => (b as HTMLElement).dataset.testid),
      focusedCards: [...document.querySelectorAll<HTMLElement>('[data-focused="response"]')].map((c) => c.dataset.testid),
      marked: marked.length,
      markedValue: step?.getAttribute('value') ?? null,
      markedIn: step?.closest('[data-testid^="response-body-"]')?.getAttribute('data-testid') ?? null,
      markedClass: step?.classList.contains('focused') ?? false,
      activeIsMarked: step !== undefined && active === step,
      inView: rect ? rect.top >= 0 && rect.bottom <= window.innerHeight : false,
    };
  });
}

before(async () => {
  state = derive(loadLogs());
  inspector = await openInspector();
  await inspector.page.setViewportSize({ width: 1000, height: 700 });
  await inspector.ready();
});

after(async () => {
  await inspector?.close();
  await closeBrowser();
});

test('a render with a focus expands that response alone, marks its weakest step, scrolls to it and focuses it', async () => {
  const problem = state.problems.find((p) => p.responses.filter((r) => r.grade?.correct === false).length >= 2)!;
  const payload = payloadOf(problem.problem.id);
  // The last incorrect response, so it sits below the fold and must be scrolled to.
  const target = payload.responses.filter((r) => r.correct === false).at(-1)!;
  assert.ok(target.minStepIndex !== null && target.steps.length > 1);
  await inspector.post({ kind: 'render', payload, focus: { responseId: target.id, stepIndex: target.minStepIndex } });
  await inspector.page.waitForSelector('[data-focused="step"]');
  const report = await focusReport(inspector.page);
  assert.deepEqual(report, {
    expanded: [`response-body-${target.slot}`],
    focusedCards: [`response-${target.slot}`],
    marked: 1,
    markedValue: String(target.minStepIndex + 1),
    markedIn: `response-body-${target.slot}`,
    markedClass: true,
    activeIsMarked: true,
    inView: true,
  });
  // The focused step is the weakest one: it keeps the weakest step's mark as well.
  assert.equal(await inspector.page.getAttribute('[data-focused="step"]', 'data-testid'), `weakest-step-${target.slot}`);

  // An edit re-renders the same problem without a focus: the response stays open, the mark and keyboard focus stay.
  await inspector.post({ kind: 'render', payload: { ...payload, reviewed: true } });
  await inspector.page.waitForFunction(() => document.querySelector('[data-testid="reviewed"]')?.textContent === 'yes');
  const after = await focusReport(inspector.page);
  assert.deepEqual([after.expanded, after.marked, after.markedValue, after.activeIsMarked], [[`response-body-${target.slot}`], 1, String(target.minStepIndex + 1), true]);

  // Keyboard focus on the step does not swallow the audit keys.
  const before = (await inspector.posted()).length;
  await inspector.page.keyboard.press('j');
  await inspector.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before);
  const sent = (await inspector.posted()).slice(before);
  assert.deepEqual(sent.map((m) => [m.intent.type, m.intent.problemId, m.intent.direction]), [['navigate', problem.problem.id, 'next']]);
});

test('a focused step that is not the weakest, past the first page of a long response, is shown and marked', async () => {
  const problem = state.problems.find((p) => p.responses.length >= 4)!;
  const payload = payloadOf(problem.problem.id);
  // A 400-step response, weakest at step 10, focused at step 300 (beyond the first 150 shown).
  const steps = Array.from({ length: 400 }, (_, i) => ({ text: `Step ${i + 1}: reasoning.`, score: i === 9 ? 0.01 : 0.9 }));
  const long: ResponsePayload = { ...payload.responses[1]!, steps, minScore: 0.01, minStepIndex: 9 };
  const responses = payload.responses.map((r, i) => (i === 1 ? long : r));
  await inspector.post({ kind: 'render', payload: { ...payload, responses }, focus: { responseId: long.id, stepIndex: 299 } });
  await inspector.page.waitForSelector(`[data-testid="focused-step-${long.slot}"]`);
  const report = await focusReport(inspector.page);
  assert.deepEqual(
    [report.expanded, report.marked, report.markedValue, report.markedIn, report.activeIsMarked, report.inView],
    [[`response-body-${long.slot}`], 1, '300', `response-body-${long.slot}`, true, true],
  );
  // The first page, the focused step and the weakest one; the rest is behind "Show all".
  const shown = await inspector.page.locator(`[data-testid="response-body-${long.slot}"] li.step`).count();
  assert.equal(shown, 151);
  await inspector.page.click(`[data-testid="more-steps-${long.slot}"]`);
  await inspector.page.waitForFunction((slot) => document.querySelectorAll(`[data-testid="response-body-${slot}"] li.step`).length === 400, long.slot);
  assert.equal(await inspector.page.locator('[data-focused="step"]').getAttribute('value'), '300', 'the full list keeps the mark');
});

test('a focus without a step opens the response; another problem clears the focus', async () => {
  // Two problems other than the one on show, so no view state carries over.
  const current = (await inspector.page.innerText('[data-testid="problem-id"]')).trim().split(/\s+/)[0];
  const [first, second] = state.problems.filter((p) => p.problem.id !== current);
  const payload = payloadOf(first!.problem.id);
  const target = payload.responses[payload.responses.length - 1]!;
  await inspector.post({ kind: 'render', payload, focus: { responseId: target.id, stepIndex: null } });
  await inspector.page.waitForFunction((id) => document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(id), first!.problem.id);
  const report = await focusReport(inspector.page);
  assert.deepEqual([report.expanded, report.focusedCards, report.marked], [[`response-body-${target.slot}`], [`response-${target.slot}`], 0]);
  assert.equal(await inspector.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid), `response-${target.slot}`);

  await inspector.post({ kind: 'render', payload: payloadOf(second!.problem.id) });
  await inspector.page.waitForFunction((id) => document.querySelector('[data-testid="problem-id"]')?.textContent?.startsWith(id), second!.problem.id);
  const cleared = await focusReport(inspector.page);
  assert.deepEqual([cleared.expanded, cleared.focusedCards, cleared.marked], [[], [], 0]);
  const violations = await inspector.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  assert.deepEqual(violations, [], 'nothing the CSP forbids, eval included');
});
