import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInspectorPayload } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import { InspectorPayload } from '../../../src/protocol';
import { runDemo } from '../../../src/pipeline/demo/run-demo';
import { testConfigEnv } from '../../support/user-config';
import type { RunState } from '../../../src/core/state/run-state';
import { derive, loadLogs } from './real-run';

function payloads(state: RunState): InspectorPayload[] {
  const tree = new TreeModel(state);
  return state.problems.map((p) => buildInspectorPayload(p.problem.id, { state, tree, compare: null, canUndo: false, runsEnabled: true })!);
}

test('the demo run says on every problem that its step scores are one score per response, so step 1 is always the weakest', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-prm-line-'));
  try {
    const { state } = await runDemo(join(root, 'demo'), testConfigEnv());
    const all = payloads(state);
    assert.equal(all.length, 50);
    for (const payload of all) {
      assert.ok(InspectorPayload.safeParse(payload).success);
      assert.deepEqual(payload.prm, { model: state.settings.prm.model, onePerResponse: true }, payload.problem.id);
      // What the line warns about: the weakest step of a response is its first.
      for (const r of payload.responses) if (r.minStepIndex !== null) assert.equal(r.minStepIndex, 0);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('step scores that differ within a response are a PRM\'s own: no such note', () => {
  const all = payloads(derive(loadLogs()));
  assert.ok(all.every((p) => p.prm !== null && p.prm.model === 'prm' && !p.prm.onePerResponse));
});

test('one varied response among uniform ones, single-step responses only, and no PRM', () => {
  const logs = loadLogs();
  const problemId = logs.problems[0]!.id;
  const ids = logs.responses.filter((r) => r.problemId === problemId).map((r) => r.id);
  const uniform = new Map(logs.prm);
  for (const id of ids) uniform.set(id, { ...uniform.get(id)!, scores: uniform.get(id)!.scores.map(() => 0.7) });
  const one = (prm: typeof logs.prm) => payloads(derive({ ...logs, prm })).find((p) => p.problem.id === problemId)!;
  assert.equal(one(uniform).prm!.onePerResponse, true);

  const mixed = new Map(uniform);
  const varied = mixed.get(ids[0]!)!;
  assert.ok(varied.scores.length > 1);
  mixed.set(ids[0]!, { ...varied, scores: varied.scores.map((s, i) => (i === 1 ? 0.2 : s)) });
  assert.equal(one(mixed).prm!.onePerResponse, false, 'a single response with its own step scores is enough');

  const single = new Map(logs.prm);
  for (const id of ids) single.set(id, { ...single.get(id)!, scores: [0.7] });
  assert.equal(one(single).prm!.onePerResponse, false, 'one-step responses prove nothing either way');

  const state = derive(logs);
  const none = { ...state, settings: { ...state.settings, prm: { ...state.settings.prm, protocol: 'none' as const } } };
  assert.equal(payloads(none)[0]!.prm, null);
});
