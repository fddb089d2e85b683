import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRADER_VERSION } from '../../../src/core/answer/index';
import type { Response } from '../../../src/core/schema/index';
import { gradeMissing } from '../../../src/pipeline/grade-missing';
import { GradePool } from '../../../src/pipeline/grading/grade-pool';
import { ProjectStore } from '../../../src/store/project';
import { createStore, fixtureSettings, solution, tempDir } from './run-fixture';
import { join } from 'node:path';

const response = (problemId: string, slot: number, correct: boolean): Response => ({
  id: `${problemId}:${slot}`,
  problemId,
  slot,
  stage: 'pre',
  finishReason: 'stop',
  usage: { prompt: 10, completion: 20 },
  model: 'policy',
  latencyMs: 5,
  at: '2026-12-02T00:00:00.000Z',
  round: 0,
  text: solution(correct, slot),
});

test('grading what is missing: responses without a grade or with an older grader’s, never those graded by this one', async () => {
  const { dir, cleanup } = await tempDir();
  const pool = new GradePool(1);
  try {
    const store = await createStore(dir, fixtureSettings({ v1: 'http://127.0.0.1:9/v1', url: 'http://127.0.0.1:9' } as never));
    await store.appendResponses([response('q0', 0, true), response('q0', 1, false), response('q1', 0, true), response('q2', 0, false), response('q2', 1, true)]);
    // q0:0 graded by this grader (its verdict deliberately not the text's), q1:0 by an older one; q0:1 and q2 never.
    await store.appendScores([
      { kind: 'grade', responseId: 'q0:0', extracted: '8', method: 'box', correct: false, grader: GRADER_VERSION },
      { kind: 'grade', responseId: 'q1:0', extracted: '9', method: 'box', correct: false, grader: '0.0.1' },
    ]);
    assert.equal(store.gradedBy('q0', GRADER_VERSION), false);
    assert.equal(store.gradedBy('q3', GRADER_VERSION), true, 'a problem without responses has nothing to grade');
    const counted: [number, number][] = [];
    assert.equal(await gradeMissing(store, pool, (graded, total) => counted.push([graded, total])), 4);
    assert.deepEqual(counted, [[4, 4]]);
    for (const id of ['q0', 'q1', 'q2', 'q3']) assert.equal(store.gradedBy(id, GRADER_VERSION), true, id);
    assert.deepEqual(store.grade('q0:0'), { kind: 'grade', responseId: 'q0:0', extracted: '8', method: 'box', correct: false, grader: GRADER_VERSION });
    assert.deepEqual(
      ['q0:1', 'q1:0', 'q2:0', 'q2:1'].map((id) => [id, store.grade(id)?.correct, store.grade(id)?.grader]),
      [
        ['q0:1', false, GRADER_VERSION],
        ['q1:0', true, GRADER_VERSION],
        ['q2:0', false, GRADER_VERSION],
        ['q2:1', true, GRADER_VERSION],
      ],
    );
    // Nothing is left: a second pass grades nothing, and the grades are on disk for the next reader.
    assert.equal(await gradeMissing(store, pool), 0);
    await store.close();
    const again = (await ProjectStore.open(join(dir, 'run'), { write: false })).store;
    assert.equal(['q0', 'q1', 'q2'].every((id) => again.gradedBy(id, GRADER_VERSION)), true);
    assert.equal(again.grade('q1:0')?.correct, true);
    await again.close();
  } finally {
    await pool.close();
    await cleanup();
  }
});
