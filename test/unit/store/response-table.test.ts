import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoMs } from '../../../src/store/log/iso-time';
import { ResponseTable } from '../../../src/store/log/response-table';
import { response } from './fixtures/records';

test('a date is kept as milliseconds exactly when toISOString writes it back the same', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
      assert.equal(isoMs(new Date(ms).toISOString()), ms);
    }),
  );
  const almost = fc.tuple(fc.integer({ min: 0, max: 253402300799999 }), fc.nat(23), fc.constantFrom('0', '9', '3', '-', ':', 'Z', ' ', '+', '.', 'T'));
  fc.assert(
    fc.property(almost, ([ms, at, ch]) => {
      const iso = new Date(ms).toISOString();
      const s = iso.slice(0, at) + ch + iso.slice(at + 1);
      const got = isoMs(s);
      assert.ok(got === null || new Date(got).toISOString() === s, s);
    }),
  );
  for (const s of ['2026-02-29T00:00:00.000Z', '2024-13-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2026-01-01T24:00:00.000Z', '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00Z', 'now']) assert.equal(isoMs(s), null, s);
  assert.equal(isoMs('2024-02-29T12:00:00.000Z'), Date.UTC(2024, 1, 29, 12));
});

test('ids other than problemId:slot, duplicates, and scores that arrive before their response', () => {
  const t = new ResponseTable(['p', 'q']);
  const r = (problemId: string, slot: number, id = `${problemId}:${slot}`) => ({ kind: 'response' as const, ...response(problemId, slot), id, at: 'an hour ago' });
  t.setGrade({ kind: 'grade', responseId: 'p:2', extracted: '4', method: 'box', correct: true, grader: 'g' });
  t.setPrm({ kind: 'prm', responseId: 'x', scores: [0.5, 0.25], model: 'm' });
  assert.equal(t.grades + t.prms, 2);
  assert.equal(t.add(r('p', 1), 0, 10, 7), 0);
  assert.equal(t.add(r('p', 1), 10, 10, 7), -1, 'the first line of an id wins');
  assert.equal(t.add(r('q', 1, 'x'), 20, 10, 7), 1);
  assert.equal(t.add(r('q', 2, 'p:1'), 30, 10, 7), -1, 'an id already taken, whatever its problem and slot');
  assert.equal(t.add(r('p', 2), 40, 10, 7), 2);
  assert.equal(t.add(r('p', 3, 'p:03'), 50, 10, 7), 3);
  assert.equal(t.add(r('r', 0), 60, 10, 7), 4, 'a problem the dataset does not have');
  assert.deepEqual([t.rowOf('p:1'), t.rowOf('x'), t.rowOf('q:1'), t.rowOf('p:2'), t.rowOf('p:03'), t.rowOf('p:3'), t.rowOf('r:0'), t.rowOf('p:1.0')], [0, 1, -1, 2, 3, -1, 4, -1]);
  assert.deepEqual(t.rowsOf('p'), [0, 2, 3]);
  assert.deepEqual([0, 1, 2, 3, 4].map((row) => t.idOf(row)), ['p:1', 'x', 'p:2', 'p:03', 'r:0']);
  assert.equal(t.grade('p:2')?.correct, true, 'applied when the response arrived');
  assert.deepEqual(t.prm('x')?.scores, [0.5, 0.25]);
  assert.equal(t.minScore[1], 0.25);
  assert.equal(t.minStep[1], 1);
  assert.equal(t.grades + t.prms, 2, 'counted once');
  assert.equal(t.meta(3).at, 'an hour ago');
  assert.deepEqual(t.extraProblems(2), ['r']);
  assert.deepEqual(t.tally(['p', 'q']), { total: 4, pre: 3, re: 1, truncated: 0, graded: 1, correct: 1, prmScored: 1, rewardScored: 0 }, 'the dataset problems only');
});
