import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleInsightsIntent, type InsightsIntentHost } from '../../../src/extension/insights/insights-intents';
import { stateOf } from '../../../src/pipeline/derive-from-store';
import { ProjectStore } from '../../../src/store/project';
import { problems, response } from '../store/fixtures/records';
import { settings } from '../core/state/fixture';

test('Apply appends a thresholds event to the run folder and the run relabels from its logs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-insights-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = await ProjectStore.create(dir, settings(), problems(2));
  t.after(() => store.close());
  // p0: three correct pre-samples with S(r) = 0.5: Boundary under tau_h 0.65, Inlier under 0.4.
  await store.appendResponses([0, 1, 2].map((slot) => response('p0', slot)));
  await store.appendScores(
    [0, 1, 2].flatMap((slot) => [
      { kind: 'grade' as const, responseId: `p0:${slot}`, extracted: '0', method: 'box' as const, correct: true, grader: 'g' },
      { kind: 'prm' as const, responseId: `p0:${slot}`, scores: [0.9, 0.5], model: 'prm' },
    ]),
  );
  let state = stateOf(store);
  assert.equal(state.byId.get('p0')!.effective, 'boundary');

  const opened: string[] = [];
  let writable = true;
  const host: InsightsIntentHost = {
    state: () => state,
    writable: () => writable,
    stamp: () => ({ id: `e${store.events().length + 1}`, at: '2026-01-01T00:00:00.000Z', author: 'ann' }),
    append: async (event) => {
      await store.appendEvents([event]);
      state = stateOf(store);
    },
    openProblem: (id, responseId, step) => opened.push(`${id}/${responseId}/${step}`),
    render: async () => {},
  };

  assert.equal(await handleInsightsIntent({ type: 'apply-thresholds', tauLow: 0.15, tauHigh: 0.4 }, host), null);
  const logged = readFileSync(join(dir, 'events', 'ann.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(logged.at(-1).event, { id: 'e1', at: '2026-01-01T00:00:00.000Z', author: 'ann', type: 'thresholds', tauLow: 0.15, tauHigh: 0.4 });
  assert.deepEqual(state.thresholds, { tauLow: 0.15, tauHigh: 0.4 });
  assert.equal(state.byId.get('p0')!.effective, 'inlier');

  writable = false;
  assert.match((await handleInsightsIntent({ type: 'apply-thresholds', tauLow: 0.1, tauHigh: 0.5 }, host))!, /read-only/);
  assert.equal(store.events().length, 1, 'nothing written when read-only');

  assert.equal(await handleInsightsIntent({ type: 'open-problem', problemId: 'p0', responseId: 'p0:1', stepIndex: 1 }, host), null);
  assert.deepEqual(opened, ['p0/p0:1/1']);
  assert.match((await handleInsightsIntent({ type: 'open-problem', problemId: 'nope', responseId: null, stepIndex: null }, host))!, /No problem nope/);
});
