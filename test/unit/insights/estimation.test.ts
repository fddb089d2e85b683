import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { estimationQuality } from '../../../src/core/insights/estimation';
import { handMadeRun } from './hand-made-run';

const right = (m: number) => ({ correct: true, steps: [m] });
const wrong = (m: number) => ({ correct: false, steps: [m] });
const times = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

test('agreement and confusion matrix between the n_p estimate and the full label', () => {
  const run = handMadeRun([
    { id: 'e1', responses: times(8, right(0.8)) }, // inlier -> inlier
    { id: 'e2', responses: [...times(3, right(0.8)), ...times(5, wrong(0.3))] }, // inlier -> boundary (3/8)
    { id: 'e3', responses: [...times(3, wrong(0.1)), right(0.5)] }, // outlier -> boundary
    { id: 'e4', responses: [right(0.5), wrong(0.5), right(0.5), wrong(0.5), right(0.5)] }, // boundary -> boundary
    { id: 'e5', responses: times(3, right(0.9)) }, // only n_p responses: not comparable
  ]);
  const q = estimationQuality(run);
  assert.equal(q.compared, 4);
  assert.equal(q.agreeing, 2);
  assert.equal(q.agreement, 0.5);
  assert.deepEqual(q.labels, ['inlier', 'outlier', 'boundary']);
  assert.deepEqual(q.matrix, [
    [1, 0, 1],
    [0, 0, 1],
    [0, 0, 1],
  ]);
  assert.deepEqual(
    q.disagreements.map((d) => [d.problemId, d.early, d.full, d.responses]),
    [['e2', 'inlier', 'boundary', 8], ['e3', 'outlier', 'boundary', 4]],
  );
});

test('nothing to compare gives no agreement figure', () => {
  const q = estimationQuality(handMadeRun([{ id: 'x', responses: times(3, right(0.9)) }]));
  assert.equal(q.compared, 0);
  assert.equal(q.agreement, null);
});

test('real verdicts of 50 MATH problems x 8 responses: 3 pre-samples agree with all 8 on 49 labels', () => {
  const rows = readFileSync(new URL('../../../media/demo/math_cot_50.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { idx: number; score: boolean[] });
  const run = handMadeRun(
    rows.map((r) => ({ id: String(r.idx), responses: r.score.map((correct) => ({ correct })) })),
    { rdeMode: 'accuracy-only' },
  );
  const q = estimationQuality(run);
  assert.equal(q.compared, 50);
  assert.equal(q.agreeing, 49);
  assert.equal(q.agreement, 0.98);
  // Counted by hand from the file: 43 always right, 2 always wrong, 4 mixed in the first 3,
  // and one problem wrong in its first 3 but right later.
  assert.deepEqual(q.matrix, [
    [43, 0, 0],
    [0, 2, 1],
    [0, 0, 4],
  ]);
});
