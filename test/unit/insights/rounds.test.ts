import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRounds, nextRoundSettings } from '../../../src/core/insights/rounds';
import { RunSettings } from '../../../src/core/schema/index';
import { handMadeRun } from './hand-made-run';

const right = { correct: true, steps: [0.9] };
const wrong = { correct: false, steps: [0.05] };

test('label movements between two rounds of the same dataset', () => {
  const previous = handMadeRun([
    { id: 'a', responses: [right, wrong, right] }, // boundary
    { id: 'b', responses: [right, wrong, wrong] }, // boundary
    { id: 'c', responses: [wrong, wrong, wrong] }, // outlier
    { id: 'd', responses: [right, right, right] }, // inlier
    { id: 'gone', responses: [right, right, right] },
  ]);
  const current = handMadeRun(
    [
      { id: 'a', responses: [right, right, right] }, // boundary -> inlier
      { id: 'b', responses: [right, right, right] }, // boundary -> inlier
      { id: 'c', responses: [right, wrong, wrong] }, // outlier -> boundary
      { id: 'd', responses: [right, right, right] }, // stays
      { id: 'new', responses: [] },
    ],
    { round: { index: 1, previousRun: '../round-0' } },
  );
  const c = compareRounds(previous, current);
  assert.deepEqual([c.previousRound, c.currentRound], [0, 1]);
  assert.deepEqual(c.labels, ['inlier', 'outlier', 'boundary', 'unlabelled']);
  assert.deepEqual(c.matrix, [
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [2, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
  assert.deepEqual(c.moved, [
    { problemId: 'a', from: 'boundary', to: 'inlier' },
    { problemId: 'b', from: 'boundary', to: 'inlier' },
    { problemId: 'c', from: 'outlier', to: 'boundary' },
  ]);
  assert.deepEqual([c.onlyPrevious, c.onlyCurrent], [1, 1]);
});

test('next-round settings keep dataset, budget and thresholds, take the new policy and link back', () => {
  const previous = handMadeRun([]).settings;
  const next = nextRoundSettings(previous, '/runs/round-0', { model: 'policy-r1' });
  assert.deepEqual(next.round, { index: 1, previousRun: '/runs/round-0' });
  assert.equal(next.policy.model, 'policy-r1');
  assert.deepEqual(next.policy.baseURLs, previous.policy.baseURLs);
  assert.deepEqual([next.dataset, next.thresholds, next.budget], [previous.dataset, previous.thresholds, previous.budget]);
  assert.deepEqual(RunSettings.parse(next), next, 'still valid settings');
  assert.equal(nextRoundSettings(next, '/runs/round-1').round.index, 2);
  assert.throws(() => nextRoundSettings(previous, ''), /previous run/);
});
