import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoPairs, pairExclusion, type PairCandidate } from '../../../../src/core/pairs';
import { deriveRunState, relabel } from '../../../../src/core/state/derive';
import { leftOut } from '../../../../src/core/export/left-out';
import { pairKey } from '../../../../src/core/schema/index';
import { bad, input, ok } from '../state/fixture';

const c = (id: string, correct: boolean, score: number, extra: Partial<PairCandidate> = {}): PairCandidate => ({ id, text: `text of ${id}`, correct, score, ...extra });

test('a truncated response is never chosen, even when it is correct and ranked first', () => {
  const pairs = autoPairs('p', [c('p:0', true, 0.99, { truncated: true }), c('p:1', true, 0.5), c('p:2', false, 0.4), c('p:3', false, 0.3)], 1);
  assert.deepEqual(pairs.map((p) => p.chosenId), ['p:1']);
  const keep = { keepTruncatedRejected: true, keepUnansweredRejected: true };
  // Asking for truncated rejected responses never lets one be chosen.
  assert.ok(autoPairs('p', [c('p:0', true, 0.99, { truncated: true }), c('p:1', false, 0.4)], 1, keep).length === 0);
  assert.equal(pairExclusion({ correct: true, truncated: true }, keep), 'truncated');
});

test('truncated and answerless responses are not rejected unless asked for', () => {
  const cands = [c('p:0', true, 0.9), c('p:1', true, 0.8), c('p:2', false, 0.7, { truncated: true }), c('p:3', false, 0.6, { answered: false }), c('p:4', false, 0.1)];
  assert.deepEqual(autoPairs('p', cands, 1).map((p) => p.rejectedId), ['p:4']);
  const withTruncated = autoPairs('p', cands, 1, { keepTruncatedRejected: true, keepUnansweredRejected: false });
  assert.deepEqual(withTruncated.map((p) => p.rejectedId).sort(), ['p:2', 'p:4']);
  const withBoth = autoPairs('p', cands, 1, { keepTruncatedRejected: true, keepUnansweredRejected: true });
  assert.deepEqual(withBoth.map((p) => p.rejectedId).sort(), ['p:2', 'p:3']);
});

test('the derived pairs follow the rules, and leftOut says what was kept out and why', () => {
  const run = input({
    b: [ok(0.95, { finishReason: 'length' }), ok(0.6), bad(0.5, { finishReason: 'length' }), bad(0.4, { noAnswer: true }), bad(0.2)],
    // Its only correct response is truncated: no pair at all.
    t: [ok(0.9, { finishReason: 'length' }), bad(0.3), bad(0.2)],
    i: [ok(0.9), ok(0.9), ok(0.9)],
  });
  const state = deriveRunState(run);
  assert.equal(state.byId.get('b')!.effective, 'boundary');
  assert.equal(state.byId.get('t')!.effective, 'boundary');
  assert.deepEqual(state.pairs.map(pairKey), ['b:1>b:4']);
  assert.deepEqual(leftOut(state), { truncated: 3, noAnswer: 1, ungraded: 0, boundaryWithoutPairs: 1, notBoundary: 1 });

  const rules = { keepTruncatedRejected: true, keepUnansweredRejected: false };
  const kept = relabel(state, { pairRules: rules });
  assert.deepEqual(kept.pairs.map(pairKey), ['b:1>b:2']);
  // The truncated correct responses stay out whatever the rules.
  assert.deepEqual(leftOut(kept, rules), { truncated: 2, noAnswer: 1, ungraded: 0, boundaryWithoutPairs: 1, notBoundary: 1 });
});
