import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInspectorPayload, focusWithin } from '../../../src/views/inspector-payload';
import { TreeModel } from '../../../src/views/tree-model';
import { InspectorPayload, parseHostMessage } from '../../../src/protocol';
import { derive, loadLogs, stamp } from './real-run';

const logs = loadLogs();
const state = derive(logs);
const tree = new TreeModel(state);
const ctx = { state, tree, compare: null, canUndo: false, runsEnabled: true };

test('the payload carries the problem, scores, label source and every response with its steps', () => {
  const p = state.problems.find((x) => x.effective === 'boundary' && x.pairs.length > 0)!;
  const payload = buildInspectorPayload(p.problem.id, ctx)!;
  assert.ok(InspectorPayload.safeParse(payload).success, 'the payload satisfies the protocol schema');
  assert.ok(parseHostMessage({ kind: 'render', payload }).ok);
  assert.equal(payload.problem.question, p.problem.question);
  assert.equal(payload.problem.source, `math_cot_50.jsonl:${p.problem.source.line}`);
  assert.equal(payload.phiA, p.phiA);
  assert.equal(payload.label.source, 'derived');
  assert.deepEqual(payload.thresholds, { tauLow: 0.15, tauHigh: 0.65 });
  assert.equal(payload.responses.length, 8);
  assert.deepEqual(payload.responses.map((r) => r.slot), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const r of payload.responses) {
    const view = p.responses.find((v) => v.response.id === r.id)!;
    assert.deepEqual(r.steps.map((s) => s.text), view.steps);
    assert.equal(r.minScore, Math.min(...r.steps.map((s) => s.score!)));
    assert.equal(r.steps[r.minStepIndex!]!.score, r.minScore);
    assert.equal(r.correct, view.grade!.correct);
    assert.equal(r.stage, r.slot < 3 ? 'pre' : 're');
  }
  assert.equal(payload.pairs.length, p.pairs.length);
  const pos = tree.positionOf(p.problem.id)!;
  assert.deepEqual(payload.nav, { group: 'boundary', index: pos.index, total: pos.total });
});

test('an override shows as its source with reason and author; compare keeps only ids of this problem', () => {
  const p = state.problems[0]!;
  const s2 = derive(logs, [{ ...stamp('bob'), type: 'label-override', problemId: p.problem.id, label: 'outlier', reason: 'wrong reference' }]);
  const payload = buildInspectorPayload(p.problem.id, { ...ctx, state: s2, tree: new TreeModel(s2), compare: [`${p.problem.id}:0`, `${p.problem.id}:4`] })!;
  assert.equal(payload.label.source, 'override');
  assert.equal(payload.label.effective, 'outlier');
  assert.equal(payload.label.override!.author, 'bob');
  assert.equal(payload.label.override!.reason, 'wrong reference');
  assert.deepEqual(payload.compare, [`${p.problem.id}:0`, `${p.problem.id}:4`]);
  const foreign = buildInspectorPayload(p.problem.id, { ...ctx, compare: ['other:0', `${p.problem.id}:1`] })!;
  assert.equal(foreign.compare, null);
});

test('unknown problems give no payload; unscored responses give null scores, not NaN', () => {
  assert.equal(buildInspectorPayload('nope', ctx), null);
  const bare = derive({ ...logs, prm: new Map(), grades: new Map() });
  const payload = buildInspectorPayload(bare.problems[0]!.problem.id, { ...ctx, state: bare, tree: new TreeModel(bare) })!;
  assert.ok(payload.responses.every((r) => r.minScore === null && r.minStepIndex === null && r.correct === null && r.steps.every((s) => s.score === null)));
  assert.equal(payload.phiA, null);
  assert.ok(InspectorPayload.safeParse(payload).success);
});

test('a focus is kept only for a response of the problem; a step past its end keeps the response alone', () => {
  const p = state.problems.find((x) => x.responses.some((r) => r.grade?.correct === false))!;
  const payload = buildInspectorPayload(p.problem.id, ctx)!;
  const wrong = payload.responses.find((r) => r.correct === false)!;
  const focus = { responseId: wrong.id, stepIndex: wrong.minStepIndex };
  assert.deepEqual(focusWithin(payload, focus), focus);
  const last = wrong.steps.length - 1;
  assert.deepEqual(focusWithin(payload, { responseId: wrong.id, stepIndex: last }), { responseId: wrong.id, stepIndex: last });
  assert.deepEqual(focusWithin(payload, { responseId: wrong.id, stepIndex: last + 1 }), { responseId: wrong.id, stepIndex: null });
  assert.deepEqual(focusWithin(payload, { responseId: wrong.id, stepIndex: null }), { responseId: wrong.id, stepIndex: null });
  const other = state.problems.find((x) => x.problem.id !== p.problem.id)!;
  assert.equal(focusWithin(payload, { responseId: other.responses[0]!.response.id, stepIndex: 0 }), null);
  assert.equal(focusWithin(payload, null), null);
  // The render that carries it satisfies the protocol; a render without one still does.
  const sent = parseHostMessage({ kind: 'render', payload, focus });
  assert.ok(sent.ok && sent.value.kind === 'render' && sent.value.focus?.responseId === wrong.id);
  assert.equal(parseHostMessage({ kind: 'render', payload, focus: { responseId: wrong.id, stepIndex: -1 } }).ok, false);
});
