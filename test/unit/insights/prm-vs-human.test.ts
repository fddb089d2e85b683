import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CuratorEvent } from '../../../src/core/schema/index';
import { bestThreshold, firstErrorScore, prmFirstError, prmVsHuman } from '../../../src/core/insights/prm-vs-human';
import { handMadeRun } from './hand-made-run';

let n = 0;
function labels(responseId: string, ratings: Array<1 | 0 | -1>, badProblem?: boolean): CuratorEvent {
  return CuratorEvent.parse({
    id: `e${++n}`,
    at: '2026-01-01T00:00:00Z',
    author: 'ann',
    type: 'step-labels',
    problemId: responseId.split(':')[0],
    responseId,
    steps: ratings.map((rating, step) => ({ step, rating })),
    ...(badProblem === undefined ? {} : { badProblem }),
  });
}

/**
 * Worked by hand (threshold 0.5):
 *   a:0 scores .9 .8 .3 .7, human 1 1 −1   → human error at 3, PRM first < .5 at 3: right
 *   a:1 scores .9 .6 .95,   human 1 1 1    → correct, PRM finds none: right
 *   a:2 scores .4 .9,       human 1 −1     → human error at 2, PRM at 1: wrong
 *   a:3 scores .7 .2 .8,    human 1 0 1    → correct, PRM at 2: wrong
 *   a:4 scores .5 .1,       human 1        → unfinished: out of the sample, its step counts for AUROC
 *   a:5 scores .1,          human −1, bad problem → left out everywhere
 * erroneous 1/2, correct 1/2, F1 .5.
 * Best threshold: a:0 is right for t in (.3, .8], a:2 never (.9 ≥ .4), a:1 for t ≤ .6, a:3 for t ≤ .2;
 * t = .6 gives 1/2 and 1/2 (F1 .5); .8 gives 1/2 and 0; .2 gives 0 and 1: best .6.
 * Step AUROC: −1 steps score .3 and .9; the ten others .9 .8 .9 .6 .95 .4 .7 .2 .8 .5.
 * Above .3: nine of ten; above .9: one (.95) plus two ties at half = 2. (9 + 2) / 20 = .55.
 */
function run() {
  return handMadeRun(
    [
      {
        id: 'a',
        responses: [
          { correct: true, steps: [0.9, 0.8, 0.3, 0.7] },
          { correct: true, steps: [0.9, 0.6, 0.95] },
          { correct: false, steps: [0.4, 0.9] },
          { correct: true, steps: [0.7, 0.2, 0.8] },
          { correct: false, steps: [0.5, 0.1] },
          { correct: false, steps: [0.1] },
        ],
      },
    ],
    {},
    [labels('a:0', [1, 1, -1]), labels('a:1', [1, 1, 1]), labels('a:2', [1, -1]), labels('a:3', [1, 0, 1]), labels('a:4', [1]), labels('a:5', [-1], true)],
  );
}

test('first-error accuracy on erroneous and correct responses, their F1, and the counts', () => {
  const r = prmVsHuman(run());
  assert.deepEqual([r.responses, r.erroneous, r.correct], [4, 2, 2]);
  assert.deepEqual(r.skipped, { incomplete: 1, badProblem: 1, unscored: 0 });
  assert.deepEqual(r.at, { threshold: 0.5, erroneousAccuracy: 0.5, correctAccuracy: 0.5, f1: 0.5 });
});

test('the F1-maximising threshold, step AUROC and the worst disagreements', () => {
  const r = prmVsHuman(run());
  assert.deepEqual(r.best, { threshold: 0.6, erroneousAccuracy: 0.5, correctAccuracy: 0.5, f1: 0.5 });
  assert.deepEqual(r.steps, { total: 12, negative: 2 });
  assert.equal(r.stepAuroc, 0.55);
  assert.deepEqual(
    r.negativeHigh.map((x) => [x.responseId, x.step, x.score]),
    [
      ['a:2', 1, 0.9],
      ['a:0', 2, 0.3],
    ],
  );
  assert.deepEqual(
    r.positiveLow.slice(0, 3).map((x) => [x.responseId, x.step, x.score]),
    [
      ['a:2', 0, 0.4],
      ['a:4', 0, 0.5],
      ['a:1', 1, 0.6],
    ],
  );
});

test('the sweep agrees with scoring every threshold one by one', () => {
  const samples = [
    { firstError: 2, scores: [0.9, 0.8, 0.3, 0.7] },
    { firstError: null, scores: [0.9, 0.6, 0.95] },
    { firstError: 1, scores: [0.4, 0.9] },
    { firstError: null, scores: [0.7, 0.2, 0.8] },
    { firstError: 0, scores: [0.35, 0.9] },
    { firstError: 1, scores: [0.75, 0.45] },
  ];
  const best = bestThreshold(samples)!;
  let max = -1;
  for (let t = 0; t <= 1.0000001; t += 0.001) max = Math.max(max, firstErrorScore(samples, t).f1!);
  assert.ok(Math.abs(best.f1! - max) < 1e-12, `sweep ${best.f1} vs scan ${max}`);
  assert.deepEqual(firstErrorScore(samples, best.threshold), best);
  assert.equal(prmFirstError([0.9, 0.5, 0.4], 0.5), 2);
  assert.equal(prmFirstError([0.9, 0.5], 0.5), null);
});

test('no labels, or only one kind of response: nulls rather than made-up numbers', () => {
  const empty = prmVsHuman(handMadeRun([{ id: 'a', responses: [{ correct: true, steps: [0.9] }] }]));
  assert.deepEqual([empty.responses, empty.at.f1, empty.best, empty.stepAuroc], [0, null, null, null]);
  const onlyCorrect = prmVsHuman(handMadeRun([{ id: 'a', responses: [{ correct: true, steps: [0.9, 0.2] }] }], {}, [labels('a:0', [1, 1])]));
  assert.deepEqual(onlyCorrect.at, { threshold: 0.5, erroneousAccuracy: null, correctAccuracy: 0, f1: null });
  assert.equal(onlyCorrect.best, null);
});

test('the audit queue puts PRM–grader contradictions first, cheaper reads first, and drops finished labellings', async () => {
  const { auditQueue } = await import('../../../src/core/insights/audit-queue');
  const r = handMadeRun(
    [
      {
        id: 'a',
        responses: [
          { correct: false, steps: [0.9, 0.8] }, // PRM sees no error in a wrong answer: 2 × (0.5 + 0.3) / 2 = 0.8
          { correct: true, steps: [0.9, 0.1, 0.8, 0.9] }, // PRM flags a right answer: 2 × (0.5 + 0.4) / 4 = 0.45
          { correct: true, steps: [0.9, 0.9] }, // agree; the problem is Boundary (2 of 3 pre-samples right): 1 × (0.5 + 0.4) / 2 = 0.45, after a:1 by slot
          { correct: false, steps: [0.95] }, // would be first (2 × 0.95 / 1), but its labelling is finished
        ],
      },
    ],
    {},
    [labels('a:3', [-1])],
  );
  assert.equal(r.byId.get('a')!.effective, 'boundary');
  const q = auditQueue(r);
  assert.deepEqual(q.totals, { 'prm-missed-error': 1, 'prm-flags-correct': 1, boundary: 1, other: 0 });
  assert.deepEqual(
    q.items.map((i) => [i.responseId, i.reason, Number(i.priority.toFixed(4)), i.cumulativeSteps]),
    [
      ['a:0', 'prm-missed-error', 0.8, 2],
      ['a:1', 'prm-flags-correct', 0.45, 6],
      ['a:2', 'boundary', 0.45, 8],
    ],
  );
});
