import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CuratorEvent, type StepLabelEntry } from '../../../src/core/schema/index';
import { activeEvents } from '../../../src/core/state/derive';
import { ratedPrefix, stepLabelsOf, stepVerdict } from '../../../src/core/step-labels/step-labels';
import { eventForIntent } from '../../../src/views/curator-intents';
import { describeVerdict } from '../../../src/core/step-labels/verdict-text';
import { handMadeRun } from '../insights/hand-made-run';

let n = 0;
function rate(responseId: string, steps: Array<Partial<StepLabelEntry> & { step: number }>, extra: { badProblem?: boolean; author?: string } = {}): CuratorEvent {
  return CuratorEvent.parse({
    id: `e${++n}`,
    at: `2026-01-01T00:00:0${n % 10}Z`,
    author: extra.author ?? 'ann',
    type: 'step-labels',
    problemId: responseId.split(':')[0],
    responseId,
    steps: steps.map((s) => ({ rating: null, ...s })),
    ...(extra.badProblem === undefined ? {} : { badProblem: extra.badProblem }),
  });
}

test('later labels of a step replace earlier ones; undo brings the earlier back; a cleared step is gone', () => {
  const first = rate('p:0', [{ step: 0, rating: 1 }, { step: 1, rating: -1, note: 'wrong sign' }]);
  const second = rate('p:0', [{ step: 1, rating: 0 }], { author: 'bob' });
  let labels = stepLabelsOf(activeEvents([first, second])).get('p:0')!;
  assert.deepEqual([labels.steps.get(0)!.rating, labels.steps.get(1)!.rating, labels.steps.get(1)!.note], [1, 0, '']);
  assert.equal(labels.author, 'bob');
  const undo = CuratorEvent.parse({ id: 'u', at: 'x', author: 'bob', type: 'undo', undoes: second.id });
  labels = stepLabelsOf(activeEvents([first, second, undo])).get('p:0')!;
  assert.equal(labels.steps.get(1)!.rating, -1);
  assert.equal(labels.steps.get(1)!.note, 'wrong sign');
  const clear = rate('p:0', [{ step: 0, rating: null }]);
  labels = stepLabelsOf([first, clear]).get('p:0')!;
  assert.equal(labels.steps.has(0), false);
  assert.equal(stepLabelsOf([first, rate('p:0', [], { badProblem: true })]).get('p:0')!.badProblem, true);
});

test('the verdict reads from step 1: the first −1, all rated, or a gap first', () => {
  const of = (steps: Array<Partial<StepLabelEntry> & { step: number }>, count: number) => {
    const labels = stepLabelsOf([rate('p:0', steps)]).get('p:0');
    return [stepVerdict(labels, count), labels ? ratedPrefix(labels, count) : 0] as const;
  };
  assert.deepEqual(of([{ step: 0, rating: 1 }, { step: 1, rating: 0 }, { step: 2, rating: -1 }], 5), [{ kind: 'error', firstError: 2, rated: 3 }, 3]);
  assert.deepEqual(of([{ step: 0, rating: 1 }, { step: 1, rating: 0 }, { step: 2, rating: 1 }], 3), [{ kind: 'correct', rated: 3 }, 3]);
  // A −1 after a gap is not a first error: the unrated step 2 could hold an earlier one.
  assert.deepEqual(of([{ step: 0, rating: 1 }, { step: 2, rating: -1 }], 4), [{ kind: 'incomplete', rated: 1 }, 1]);
  // An unsure step counts as unrated.
  assert.deepEqual(of([{ step: 0, rating: 1, unsure: true }, { step: 1, rating: -1 }], 2), [{ kind: 'incomplete', rated: 0 }, 0]);
  assert.deepEqual(stepVerdict(undefined, 3), { kind: 'incomplete', rated: 0 });
  assert.equal(describeVerdict({ kind: 'error', firstError: 2, rated: 3 }, 5, true), 'steps: first error at step 3 of 5; grader: correct (a correct answer through a wrong step)');
  assert.equal(describeVerdict({ kind: 'correct', rated: 3 }, 3, false), 'steps: all 3 correct; grader: incorrect (correct steps, wrong final answer)');
});

test('a rate-steps edit becomes a step-labels event only for steps the response has', () => {
  const run = handMadeRun([{ id: 'p', responses: [{ correct: true, steps: [0.9, 0.8, 0.2] }] }]);
  const stamp = { id: 's1', at: '2026-01-01T00:00:00Z', author: 'ann' };
  const ok = eventForIntent(
    { type: 'rate-steps', problemId: 'p', responseId: 'p:0', steps: [{ step: 2, rating: -1, note: ' off by one ', unsure: false }] },
    run,
    stamp,
  );
  assert.deepEqual(ok, {
    ok: true,
    event: { ...stamp, type: 'step-labels', problemId: 'p', responseId: 'p:0', steps: [{ step: 2, rating: -1, note: 'off by one', unsure: false }] },
  });
  const past = eventForIntent({ type: 'rate-steps', problemId: 'p', responseId: 'p:0', steps: [{ step: 3, rating: 1, note: '', unsure: false }] }, run, stamp);
  assert.deepEqual(past, { ok: false, error: 'Response p:0 has 3 steps; there is no step 4.' });
  const twice = eventForIntent(
    { type: 'rate-steps', problemId: 'p', responseId: 'p:0', steps: [{ step: 0, rating: 1, note: '', unsure: false }, { step: 0, rating: -1, note: '', unsure: false }] },
    run,
    stamp,
  );
  assert.equal(twice.ok, false);
  const other = eventForIntent({ type: 'rate-steps', problemId: 'p', responseId: 'q:0', steps: [] }, run, stamp);
  assert.deepEqual(other, { ok: false, error: 'No response q:0 in p.' });
});
