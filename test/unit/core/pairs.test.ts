import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPairEdits, autoPairs, exportOrder, type PairCandidate, type PairEditEvent } from '../../../src/core/pairs';
import { pairKey } from '../../../src/core/schema/index';

const c = (id: string, correct: boolean, score: number | null, text = `text of ${id}`): PairCandidate => ({ id, text, correct, score });

test('top K = min(#correct, #incorrect) by score on each side, paired one to one', () => {
  const pairs = autoPairs(
    'p',
    [c('p:0', true, 0.9), c('p:1', false, 0.2), c('p:2', true, 0.4), c('p:3', false, 0.7), c('p:4', true, 0.8), c('p:5', false, 0.1)],
    1234,
  );
  // 3 correct, 3 incorrect: K = 3, everyone is used once.
  assert.equal(pairs.length, 3);
  assert.deepEqual(pairs.map((p) => p.chosenId).sort(), ['p:0', 'p:2', 'p:4']);
  assert.deepEqual(pairs.map((p) => p.rejectedId).sort(), ['p:1', 'p:3', 'p:5']);
  for (const p of pairs) {
    assert.equal(p.origin, 'auto');
    assert.equal(p.problemId, 'p');
  }
  const fewerWrong = autoPairs('p', [c('p:0', true, 0.9), c('p:1', true, 0.3), c('p:2', true, 0.6), c('p:3', false, 0.5)], 1234);
  // K = 1: the best correct (0.9) against the only incorrect.
  assert.deepEqual(fewerWrong.map(pairKey), ['p:0>p:3']);
  assert.equal(fewerWrong[0]!.chosenScore, 0.9);
  assert.equal(fewerWrong[0]!.rejectedScore, 0.5);
});

test('the incorrect side keeps its highest-scored responses too', () => {
  const pairs = autoPairs('p', [c('p:0', true, 0.5), c('p:1', false, 0.1), c('p:2', false, 0.8), c('p:3', false, 0.3)], 1);
  assert.deepEqual(pairs.map(pairKey), ['p:0>p:2']);
});

test('ties in S(r) keep slot order; unscored sort last', () => {
  const pairs = autoPairs('p', [c('p:0', true, null), c('p:1', true, 0.5), c('p:2', true, 0.5), c('p:3', false, 0.2), c('p:4', false, 0.2)], 9);
  assert.deepEqual(pairs.map((p) => p.chosenId).sort(), ['p:1', 'p:2']);
  assert.deepEqual(pairs.map((p) => p.rejectedId).sort(), ['p:3', 'p:4']);
  const one = autoPairs('p', [c('p:0', true, 0.5), c('p:1', true, 0.5), c('p:2', false, 0.2)], 9);
  assert.deepEqual(one.map(pairKey), ['p:0>p:2']);
});

test('no pair when a side is empty: all correct, all wrong, one response, nothing', () => {
  assert.deepEqual(autoPairs('p', [c('p:0', true, 0.9), c('p:1', true, 0.1)], 1), []);
  assert.deepEqual(autoPairs('p', [c('p:0', false, 0.9), c('p:1', false, 0.1)], 1), []);
  assert.deepEqual(autoPairs('p', [c('p:0', true, 0.9)], 1), []);
  assert.deepEqual(autoPairs('p', [], 1), []);
});

test('identical texts count once, so duplicates never pair with each other twice', () => {
  const pairs = autoPairs(
    'p',
    [c('p:0', true, 0.9, 'same'), c('p:1', true, 0.8, 'same'), c('p:2', false, 0.2, 'wrong a'), c('p:3', false, 0.1, 'wrong b')],
    1234,
  );
  // Two correct responses with one text: one candidate, K = 1.
  assert.deepEqual(pairs.map(pairKey), ['p:0>p:2']);
});

test('the shuffle inside a problem is seeded', () => {
  const cands = Array.from({ length: 12 }, (_, i) => c(`p:${i}`, i % 2 === 0, 1 - i / 20));
  const a = autoPairs('p', cands, 1234).map(pairKey);
  assert.deepEqual(autoPairs('p', cands, 1234).map(pairKey), a);
  const others = [1, 2, 3, 4].map((s) => autoPairs('p', cands, s).map(pairKey).join());
  assert.ok(new Set([a.join(), ...others]).size > 1);
});

const ev = (type: PairEditEvent['type'], chosenId: string, rejectedId: string, extra: object = {}): PairEditEvent =>
  ({ id: `${type}-${chosenId}-${rejectedId}`, at: '2026-01-01T00:00:00Z', author: 'ana', type, problemId: 'p', chosenId, rejectedId, ...extra }) as PairEditEvent;

test('curator edits apply on top: drop, swap, add, pin', () => {
  const auto = autoPairs('p', [c('p:0', true, 0.9), c('p:1', false, 0.2), c('p:2', true, 0.8), c('p:3', false, 0.1)], 1234);
  const keys = auto.map(pairKey);
  const first = auto[0]!;
  const second = auto[1]!;
  const scores: Record<string, number> = { 'p:0': 0.9, 'p:1': 0.2, 'p:2': 0.8, 'p:3': 0.1 };
  const scoreOf = (id: string) => scores[id] ?? null;

  const dropped = applyPairEdits('p', auto, [ev('pair-drop', first.chosenId, first.rejectedId)], scoreOf);
  assert.deepEqual(dropped.map(pairKey), [keys[1]]);

  const swapped = applyPairEdits('p', auto, [ev('pair-swap', second.chosenId, second.rejectedId)], scoreOf);
  assert.equal(swapped.length, 2);
  const s = swapped.find((p) => p.chosenId === second.rejectedId)!;
  assert.equal(s.rejectedId, second.chosenId);
  assert.equal(s.origin, 'curator');
  assert.equal(s.chosenScore, scores[second.rejectedId]);

  const added = applyPairEdits('p', auto, [ev('pair-add', 'p:0', 'p:3'), ev('pair-add', 'p:0', 'p:0')], scoreOf);
  const expectedAdd = keys.includes('p:0>p:3') ? 2 : 3;
  assert.equal(added.length, expectedAdd);
  assert.ok(added.some((p) => pairKey(p) === 'p:0>p:3'));

  const pinned = applyPairEdits('p', auto, [ev('pair-pin', first.chosenId, first.rejectedId, { pinned: true })], scoreOf);
  assert.equal(pinned.find((p) => pairKey(p) === keys[0])!.pinned, true);
  // A pin on a pair the automatic rule no longer makes keeps it.
  const kept = applyPairEdits('p', [], [ev('pair-pin', 'p:2', 'p:1', { pinned: true })], scoreOf);
  assert.deepEqual(kept.map((p) => [pairKey(p), p.pinned, p.origin]), [['p:2>p:1', true, 'curator']]);
});

test('the exported order is a seeded shuffle of all pairs', () => {
  const pairs = Array.from({ length: 20 }, (_, i) => ({
    problemId: `q${i}`,
    chosenId: `q${i}:0`,
    rejectedId: `q${i}:1`,
    chosenScore: null,
    rejectedScore: null,
    origin: 'auto' as const,
    pinned: false,
  }));
  const a = exportOrder(pairs, 1234);
  assert.deepEqual(exportOrder(pairs, 1234), a);
  assert.notDeepEqual(a.map((p) => p.problemId), pairs.map((p) => p.problemId));
  assert.deepEqual(a.map((p) => p.problemId).sort(), pairs.map((p) => p.problemId).sort());
});
