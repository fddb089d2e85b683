import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewardDebug } from '../../../src/core/insights/reward-debug';
import { handMadeRun } from './hand-made-run';

const right = (m: number, reward?: number) => ({ correct: true, steps: [0.99, m], ...(reward === undefined ? {} : { reward }) });
const wrong = (m: number, reward?: number) => ({ correct: false, steps: [m, 0.99], ...(reward === undefined ? {} : { reward }) });

const run = handMadeRun([
  { id: 'p1', responses: [right(0.1), right(0.8, 1), wrong(0.7), wrong(0.2, 2)], pairs: [[1, 3], [0, 2]] },
  { id: 'p2', responses: [right(0.9), wrong(0.3), wrong(0.9)] },
  { id: 'p3', responses: [right(0.6), right(0.7)] },
  { id: 'p4', responses: [{ correct: false }] },
]);

test('lists correct responses below tau_l and incorrect ones above tau_h, weakest step included', () => {
  const d = rewardDebug(run);
  assert.deepEqual(d.correctLow, [{ problemId: 'p1', responseId: 'p1:0', correct: true, minScore: 0.1, minStepIndex: 1 }]);
  assert.deepEqual(
    d.incorrectHigh.map((r) => [r.responseId, r.minScore, r.minStepIndex]),
    [['p2:2', 0.9, 0], ['p1:2', 0.7, 0]],
  );
});

test('finds pairs whose chosen side scores lower, by the PRM and by the reward model', () => {
  const d = rewardDebug(run);
  assert.equal(d.pairsChecked, 2);
  assert.deepEqual(
    d.invertedPairs.map((p) => [p.chosenId, p.rejectedId, p.byPrm, p.byReward]),
    [['p1:1', 'p1:3', false, true], ['p1:0', 'p1:2', true, false]],
  );
  assert.equal(d.invertedPairs[1]!.chosenMinStepIndex, 1);
});

test('AUROC per problem and over the run match hand-computed values', () => {
  const d = rewardDebug(run);
  // p1: pos {.1,.8} vs neg {.7,.2}: 0+0+1+1 of 4 = 0.5. p2: pos {.9} vs {.3,.9}: 1 + 0.5 of 2 = 0.75.
  assert.deepEqual(d.perProblem, [
    { problemId: 'p1', auroc: 0.5, correct: 2, incorrect: 2 },
    { problemId: 'p2', auroc: 0.75, correct: 1, incorrect: 2 },
  ]);
  // Pooled: pos {.1,.8,.9,.6,.7} vs neg {.7,.2,.3,.9}: 0 + 3 + 3.5 + 2 + 2.5 = 11 of 20.
  assert.equal(d.runAuroc, 0.55);
  assert.equal(d.meanProblemAuroc, 0.625);
});

test('a run without scores has nothing to report', () => {
  const d = rewardDebug(handMadeRun([{ id: 'q', responses: [{ correct: true }, { correct: false }] }]));
  assert.equal(d.runAuroc, null);
  assert.equal(d.meanProblemAuroc, null);
  assert.deepEqual([d.correctLow.length, d.incorrectHigh.length, d.perProblem.length], [0, 0, 0]);
});
