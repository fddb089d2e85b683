import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveRunState, rederive, relabel, activeEvents } from '../../../../src/core/state/derive';
import { pairKey, type CuratorEvent } from '../../../../src/core/schema/index';
import { bad, input, ok, settings } from './fixture';

const at = '2026-01-01T00:00:00Z';

test('phi_a, phi_r and labels come from the pre-samples only', () => {
  const state = deriveRunState(
    input({
      easy: [ok(0.9), ok(0.8), ok(0.7)], // phiA 1, phiR 0.8 > 0.65: inlier
      hard: [bad(0.1), bad(0.05), bad(0.12), ok(0.9)], // slot 3 is a re-sample: ignored by RDE
      mixed: [ok(0.9), bad(0.3), ok(0.6)], // phiA 2/3: boundary
      doubted: [ok(0.5), ok(0.6), ok(0.7)], // phiA 1 but phiR 0.6: boundary
    }),
  );
  const p = (id: string) => state.byId.get(id)!;
  assert.equal(p('easy').phiA, 1);
  assert.ok(Math.abs(p('easy').phiR! - 0.8) < 1e-12);
  assert.equal(p('easy').effective, 'inlier');
  assert.equal(p('hard').phiA, 0);
  assert.ok(Math.abs(p('hard').phiR! - 0.09) < 1e-12);
  assert.equal(p('hard').effective, 'outlier');
  assert.equal(p('hard').correct, 1);
  assert.equal(p('hard').graded, 4);
  assert.equal(p('mixed').effective, 'boundary');
  assert.equal(p('doubted').effective, 'boundary');
  assert.deepEqual(state.counts, { inlier: 1, outlier: 1, boundary: 2, unlabelled: 0 });
  const v = p('mixed').responses[1]!;
  assert.equal(v.minScore, 0.3);
  assert.equal(v.minStepIndex, 0);
  assert.deepEqual(v.steps, ['step one of mixed:1', 'step two, so \\boxed{2}']);
});

test('budget: spent counts responses, planned follows the plan', () => {
  const state = deriveRunState(input({ a: [ok(0.9), ok(0.9), ok(0.9)], b: [ok(0.9), bad(0.3), ok(0.6)], c: [bad(0.1), bad(0.1), bad(0.1)] }));
  // B = 5 × 3 = 15, all to b: b's target 18; a and c keep 3.
  assert.equal(state.budget.spent, 9);
  assert.equal(state.budget.planned, 24);
  assert.equal(state.budget.plan.targets.get('b'), 18);
});

test('a problem with no response (all requests failed) is unlabelled and gets nothing', () => {
  const state = deriveRunState(input({ failed: [], b: [ok(0.9), bad(0.3), ok(0.6)] }));
  const f = state.byId.get('failed')!;
  assert.equal(f.effective, 'unlabelled');
  assert.equal(f.phiA, null);
  assert.equal(f.phiR, null);
  assert.equal(state.budget.plan.targets.get('b'), 3 + 10);
  assert.equal(state.budget.plan.targets.get('failed'), 3);
});

test('graded but not yet PRM-scored: unlabelled while a PRM is configured; accuracy only without one', () => {
  const spec = { x: [{ correct: true, scores: null }, { correct: true, scores: null }, { correct: true, scores: null }] };
  assert.equal(deriveRunState(input(spec)).byId.get('x')!.effective, 'unlabelled');
  const noPrm = settings({ prm: { protocol: 'none' } });
  const state = deriveRunState(input(spec, noPrm));
  assert.equal(state.byId.get('x')!.effective, 'inlier');
  assert.equal(state.prmConfigured, false);
});

test('new thresholds relabel without touching the logs; an ablation mode too', () => {
  const state = deriveRunState(input({ a: [ok(0.7), ok(0.7), ok(0.7)], b: [bad(0.2), bad(0.2), bad(0.2)] }));
  assert.deepEqual([state.byId.get('a')!.effective, state.byId.get('b')!.effective], ['inlier', 'boundary']);
  const strict = relabel(state, { thresholds: { tauLow: 0.25, tauHigh: 0.9 } });
  assert.deepEqual([strict.byId.get('a')!.effective, strict.byId.get('b')!.effective], ['boundary', 'outlier']);
  const accOnly = relabel(state, { rdeMode: 'accuracy-only' });
  assert.deepEqual([accOnly.byId.get('a')!.effective, accOnly.byId.get('b')!.effective], ['inlier', 'outlier']);
  // The original state is untouched.
  assert.equal(state.byId.get('a')!.effective, 'inlier');
});

test('overrides win and are marked; undo cancels; thresholds and reviewed events apply', () => {
  const events: CuratorEvent[] = [
    { id: 'e1', at, author: 'ana', type: 'label-override', problemId: 'a', label: 'boundary', reason: 'looks lucky' },
    { id: 'e2', at, author: 'ana', type: 'label-override', problemId: 'b', label: 'inlier', reason: 'typo in key' },
    { id: 'e3', at, author: 'ana', type: 'undo', undoes: 'e2' },
    { id: 'e4', at, author: 'ana', type: 'reviewed', problemId: 'b', reviewed: true },
    { id: 'e5', at, author: 'ana', type: 'thresholds', tauLow: 0.25, tauHigh: 0.65 },
  ];
  const state = deriveRunState(input({ a: [ok(0.9), ok(0.9), ok(0.9)], b: [bad(0.2), bad(0.2), bad(0.2)] }, settings(), events));
  const a = state.byId.get('a')!;
  assert.equal(a.label.derived, 'inlier');
  assert.equal(a.effective, 'boundary');
  assert.equal(a.labelSource, 'override');
  assert.equal(a.label.override!.reason, 'looks lucky');
  const b = state.byId.get('b')!;
  assert.equal(b.labelSource, 'derived');
  assert.equal(b.effective, 'outlier'); // 0.2 < tau_l = 0.25 from the thresholds event
  assert.equal(b.reviewed, true);
  assert.deepEqual(state.thresholds, { tauLow: 0.25, tauHigh: 0.65 });
  // The override moves the budget: a is the only Boundary problem.
  assert.equal(state.budget.plan.targets.get('a'), 3 + 10);
  assert.deepEqual(state.events.map((e) => e.id), ['e1', 'e4', 'e5']);
});

test('undoing an undo brings the event back', () => {
  const events: CuratorEvent[] = [
    { id: 'e1', at, author: 'a', type: 'reviewed', problemId: 'x', reviewed: true },
    { id: 'e2', at, author: 'a', type: 'undo', undoes: 'e1' },
    { id: 'e3', at, author: 'a', type: 'undo', undoes: 'e2' },
  ];
  assert.deepEqual(activeEvents(events).map((e) => e.id), ['e1']);
});

test('pairs: only Boundary problems, over all responses, ranked by S(r) or by reward', () => {
  const spec = {
    b: [ok(0.9, { reward: 0.1 }), bad(0.3, { reward: 5 }), ok(0.6, { reward: 3 }), bad(0.5, { reward: 1 }), ok(0.2, { reward: 2 })],
    i: [ok(0.9), ok(0.9), ok(0.9)],
  };
  const state = deriveRunState(input(spec));
  // 3 correct (0.9, 0.6, 0.2), 2 incorrect (0.3, 0.5): K = 2; the top-2 correct are b:0 and b:2.
  assert.equal(state.pairs.length, 2);
  assert.deepEqual(state.pairs.map((p) => p.chosenId).sort(), ['b:0', 'b:2']);
  assert.deepEqual(state.pairs.map((p) => p.rejectedId).sort(), ['b:1', 'b:3']);
  assert.equal(state.byId.get('i')!.pairs.length, 0);
  const byReward = deriveRunState(input(spec, settings({ pairRanking: 'reward-model' })));
  // By reward the correct side is b:2 (3) and b:4 (2).
  assert.deepEqual(byReward.pairs.map((p) => p.chosenId).sort(), ['b:2', 'b:4']);
});

test('pair edits from the log apply, and an undone edit does not', () => {
  const base = deriveRunState(input({ b: [ok(0.9), bad(0.3), ok(0.6), bad(0.5)] }));
  const [p1] = base.pairs;
  const events: CuratorEvent[] = [
    { id: 'd', at, author: 'a', type: 'pair-drop', problemId: 'b', chosenId: p1!.chosenId, rejectedId: p1!.rejectedId },
    { id: 'add', at, author: 'a', type: 'pair-add', problemId: 'b', chosenId: 'b:0', rejectedId: 'b:1' },
    { id: 'u', at, author: 'a', type: 'undo', undoes: 'add' },
  ];
  const edited = deriveRunState(input({ b: [ok(0.9), bad(0.3), ok(0.6), bad(0.5)] }, settings(), events));
  assert.equal(edited.pairs.length, 1);
  assert.ok(!edited.pairs.some((p) => pairKey(p) === pairKey(p1!)));
});

test('no Boundary problem: no pair, budget unspent', () => {
  const state = deriveRunState(input({ a: [ok(0.9), ok(0.9), ok(0.9)], c: [bad(0.01), bad(0.01), bad(0.01)] }));
  assert.equal(state.pairs.length, 0);
  assert.equal(state.budget.plan.unspent, 10);
  assert.equal(state.budget.planned, 6);
});

test('rederive keeps untouched problems only while nothing else they depend on changed: equal to a whole derivation', () => {
  const spec = {
    a: [ok(0.9), bad(0.3), ok(0.6)],
    b: [ok(0.9), ok(0.9), ok(0.9)],
    c: [bad(0.2), ok(0.7), bad(0.1)],
  };
  const before = deriveRunState(input(spec));
  const grown = { ...spec, b: [...spec.b, bad(0.4)], c: [...spec.c, ok(0.95)] };
  // New responses for c only: a and b are kept as they were.
  const followed = rederive(before, input(grown), new Set(['c']));
  assert.deepEqual(followed, deriveRunState(input({ ...spec, c: grown.c })));
  assert.equal(followed.byId.get('a'), before.byId.get('a'), 'an untouched problem is the same object');
  // c's grades now move it out of Boundary: the plan follows.
  const regraded = { ...spec, c: [ok(0.9), ok(0.9), ok(0.9)] };
  const moved = rederive(followed, input(regraded), new Set(['c']));
  assert.equal(moved.byId.get('c')!.effective, 'inlier');
  assert.deepEqual(moved, deriveRunState(input(regraded)));
  // An override of an untouched problem, and a threshold change: nothing may be kept.
  const override: CuratorEvent = { type: 'label-override', id: 'o1', at, author: 'ann', problemId: 'b', label: 'boundary', reason: 'check' };
  const thresholds: CuratorEvent = { type: 'thresholds', id: 't1', at, author: 'ann', tauLow: 0.3, tauHigh: 0.92 };
  for (const events of [[override], [thresholds]]) {
    const next = rederive(followed, input({ ...spec, c: grown.c }, settings(), events), new Set());
    assert.deepEqual(next, deriveRunState(input({ ...spec, c: grown.c }, settings(), events)));
  }
  // A "what if" relabel, then a followed change without it: the problems are labelled again.
  const whatIf = relabel(before, { thresholds: { tauLow: 0.5, tauHigh: 0.95 }, rdeMode: 'reward-only' });
  assert.deepEqual(rederive(whatIf, input(grown), new Set(['b', 'c'])), deriveRunState(input(grown)));
});
