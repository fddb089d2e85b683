import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import type { InspectorPayload } from '../../../src/protocol';
import { derive, loadLogs } from '../../unit/views/real-run';
import { closeBrowser, openInspector, type InspectorPage } from './inspector-page';

/**
 * The inspector in a real headless Chromium, under the same CSP as in VS Code, fed model
 * output built to attack it. Nothing may execute; the page must stay responsive.
 */

const HOSTILE = [
  'Step one.\n\n<script>window.__pwned = "script"</script>\n\nSo the answer is $\\boxed{4}$.',
  'We draw it: <img src=x onerror="window.__pwned = \'img\'">\n\n<svg onload="window.__pwned=\'svg\'"></svg> done.',
  'See [this](javascript:window.__pwned=\'md\') and <a href="javascript:window.__pwned=\'a\'">here</a>.\n\n$\\href{javascript:window.__pwned=\'katex\'}{x}$ and $\\url{javascript:alert(1)}$ and $\\htmlId{x}{y}$',
  '</div>'.repeat(20_000) + '\n\n</main></body><script>window.__pwned="flood"</script>',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>\n\n<style>body{display:none}</style>\n\n<form action="http://evil.example/"><button>go</button></form>',
];

/** About 1 MB: many steps, lots of math, some of it broken, some of it expensive. */
function megabyte(): string {
  const steps: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const step =
      i % 7 === 0
        ? `Step ${i}: $\\frac{${i}}{${i + 1}} + \\sqrt{${i}}$ and $$\\sum_{k=0}^{${i}} k^2 = ${i}$$ then $\\def\\a{\\a\\a}\\a$ and $\\left( broken$`
        : `Step ${i}: ${'the reasoning continues with <b>tags</b> & entities &amp; '.repeat(8)}`;
    steps.push(step);
    size += step.length + 2;
  }
  return steps.join('\n\n');
}

let inspector: InspectorPage;
let payload: InspectorPayload;

before(async () => {
  const logs = loadLogs();
  const problemId = logs.problems[0]!.id;
  logs.problems[0] = { ...logs.problems[0]!, question: '<script>window.__pwned="question"</script> What is $2+2$? <img src=x onerror="window.__pwned=\'q\'">' };
  const texts = [...HOSTILE, megabyte()];
  let k = 0;
  logs.responses = logs.responses.map((r) => (r.problemId === problemId && k < texts.length ? { ...r, text: texts[k++]! } : r));
  // Step scores must match the new step counts: one per step, the fourth step the weakest.
  for (const r of logs.responses.filter((x) => x.problemId === problemId)) {
    const n = r.text.split('\n\n').filter((s) => s.trim() !== '').length;
    logs.prm.set(r.id, { responseId: r.id, scores: Array.from({ length: n }, (_, i) => (i === 3 ? 0.05 : 0.9)), model: 'prm' });
  }
  const state = derive(logs);
  payload = buildInspectorPayload(problemId, { state, tree: new TreeModel(state), compare: null, canUndo: true, runsEnabled: true })!;
  assert.ok(JSON.stringify(payload).length > 1_000_000);
  inspector = await openInspector();
  await inspector.ready();
});

after(async () => {
  await inspector?.close();
  await closeBrowser();
});

async function assertNothingRan(page: InspectorPage['page']): Promise<void> {
  const report = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img, iframe, svg[onload], form, object, embed').length,
      jsLinks: document.querySelectorAll('a[href^="javascript" i], [href^="javascript" i]').length,
      handlers: all.filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
      userStyles: document.querySelectorAll('style:not([nonce])').length,
      hidden: getComputedStyle(document.body).display === 'none',
    };
  });
  assert.deepEqual(report, { pwned: null, scripts: 1, imgs: 0, jsLinks: 0, handlers: 0, userStyles: report.userStyles, hidden: false });
}

test('hostile responses render as text: nothing executes, no markup is created from model output', async () => {
  const { page } = inspector;
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const started = Date.now();
  await inspector.post({ kind: 'render', payload });
  await page.waitForSelector('[data-testid="problem-id"]');
  const firstRender = Date.now() - started;
  // Expand every response (the 1 MB one too) so all model text is in the DOM.
  for (const r of payload.responses) await page.click(`[data-testid="toggle-${r.slot}"]`);
  await page.waitForSelector(`[data-testid="response-body-${payload.responses.at(-1)!.slot}"] .steps`);
  const expanded = Date.now() - started;
  // The megabyte shows its first steps; ask for all of them.
  const big = payload.responses[HOSTILE.length]!;
  await page.click(`[data-testid="more-steps-${big.slot}"]`);
  await page.waitForFunction(
    ([slot, n]) => document.querySelectorAll(`[data-testid="response-body-${slot}"] li.step`).length === n,
    [big.slot, big.steps.length] as const,
  );
  const all = Date.now() - started;
  console.log(`first render ${firstRender} ms, all responses expanded ${expanded} ms, all ${big.steps.length} steps of the megabyte ${all} ms`);

  await assertNothingRan(page);
  assert.deepEqual(dialogs, []);
  const text = await page.textContent('[data-testid="responses"]');
  assert.ok(text!.includes('<script>window.__pwned = "script"</script>'), 'the script tag is shown as text');
  assert.ok(text!.includes('onerror="window.__pwned'), 'the img tag is shown as text');
  assert.ok((await page.textContent('[data-testid="question"]'))!.includes('<script>'), 'the question is text too');
  // KaTeX ran (math rendered) but with trust off: \href gives no link.
  assert.ok((await page.locator('.katex').count()) > 10);
  const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  assert.deepEqual(violations, [], 'the page needs nothing the CSP forbids');
});

test('the page stays responsive after the megabyte: keys still turn into intents at once', async () => {
  const { page } = inspector;
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.locator('body').focus();
  const before = (await inspector.posted()).length;
  await page.keyboard.press('j');
  await page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before, { timeout: 2_000 });
  const latency = Date.now() - t0;
  console.log(`key to intent after the megabyte: ${latency} ms`);
  const last = (await inspector.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'navigate', problemId: payload.problem.id, direction: 'next' });
  assert.ok(latency < 2_000);
});

test('the weakest step is marked and the heat strip has one cell per step', async () => {
  const { page } = inspector;
  const r = payload.responses[0]!;
  assert.equal(await page.locator(`[data-testid="heat-${r.slot}"] .heat-cell`).count(), Math.min(r.steps.length, 400));
  assert.equal(await page.locator(`[data-testid="heat-${r.slot}"] .heat-cell.weakest`).count(), r.minStepIndex === null ? 0 : 1);
  if (r.minStepIndex !== null) assert.ok(await page.locator(`[data-testid="weakest-step-${r.slot}"]`).isVisible());
});

test('keyboard: 1 asks for a reason and sends the override; Ctrl+Z undo; ? help', async () => {
  const { page } = inspector;
  await page.locator('body').focus();
  await page.keyboard.press('1');
  await page.waitForSelector('[data-testid="override-form"]');
  await page.click('[data-testid="override-submit"]');
  assert.match((await page.textContent('[data-testid="override-form"] .form-error'))!, /reason is required/);
  await page.locator('[data-testid="override-reason"]').click();
  await page.keyboard.type('all correct, trivial');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="override-form"]', { state: 'detached' });
  let last = (await inspector.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'override-label', problemId: payload.problem.id, label: 'inlier', reason: 'all correct, trivial' });

  await page.locator('body').focus();
  await page.keyboard.press('Control+z');
  last = (await inspector.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'undo' });

  await page.keyboard.press('r');
  last = (await inspector.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'mark-reviewed', problemId: payload.problem.id, reviewed: true });

  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid="help"]');
  assert.match((await page.textContent('[data-testid="help"]'))!, /next \/ previous problem/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="help"]', { state: 'detached' });
});

test('malformed host messages are dropped; an error reply is shown as text', async () => {
  const { page } = inspector;
  const heading = await page.textContent('[data-testid="problem-id"]');
  await inspector.post({ kind: 'eval', code: 'window.__pwned = "eval"' });
  await inspector.post({ kind: 'render', payload: { ...payload, problem: { id: '<b>x</b>' } } });
  await inspector.post('<img src=x onerror="window.__pwned=1">');
  assert.equal(await page.textContent('[data-testid="problem-id"]'), heading);
  await inspector.post({ kind: 'error', seq: 1, message: '<img src=x onerror="window.__pwned=\'err\'">' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.includes('onerror'));
  await assertNothingRan(page);
});

test('pair actions and compare send intents naming the pair', async () => {
  const { page } = inspector;
  if (payload.pairs.length > 0) {
    const p = payload.pairs[0]!;
    await page.click('[data-testid="pair-drop-0"]');
    const last = (await inspector.posted()).at(-1)!;
    assert.deepEqual(last.intent, { type: 'pair-drop', problemId: payload.problem.id, chosenId: p.chosenId, rejectedId: p.rejectedId });
  }
  const [a, b] = payload.responses;
  await page.click(`[data-testid="compare-${a!.slot}"]`);
  await page.click(`[data-testid="compare-${b!.slot}"]`);
  const last = (await inspector.posted()).at(-1)!;
  assert.deepEqual(last.intent, { type: 'compare', problemId: payload.problem.id, responseIds: [a!.id, b!.id] });
  await inspector.post({ kind: 'render', payload: { ...payload, compare: [a!.id, b!.id] } });
  await page.waitForSelector('[data-testid="compare"]');
  assert.equal(await page.locator('[data-testid="compare"] .compare-column').count(), 2);
  await assertNothingRan(page);
});
