import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { assignReviews, nextAssigned, reviewedBy } from '../../../src/core/team/assign';

const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);

test('each problem goes to overlap distinct annotators, loads differ by one at most, every pair shares problems; seeded', () => {
  for (const [team, overlap] of [[['a', 'b', 'c'], 2], [['a', 'b', 'c', 'd'], 2], [['a', 'b', 'c', 'd', 'e'], 3], [['a'], 1]] as const) {
    const items = assignReviews(ids, team, overlap, 7);
    assert.deepEqual(items.map((i) => i.problemId).sort(), [...ids].sort());
    for (const it of items) assert.equal(new Set(it.annotators).size, overlap);
    const loads = team.map((a) => items.filter((it) => it.annotators.includes(a)).length);
    assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `${team.join('')}/${overlap}: loads ${loads}`);
    assert.equal(loads.reduce((x, y) => x + y, 0), ids.length * overlap);
    for (let i = 0; i < team.length; i++) {
      for (let j = i + 1; j < team.length && overlap > 1; j++) {
        const both = items.filter((it) => it.annotators.includes(team[i]!) && it.annotators.includes(team[j]!)).length;
        assert.ok(both > 0, `${team[i]} and ${team[j]} share a problem`);
      }
    }
    assert.deepEqual(assignReviews(ids, team, overlap, 7), items, 'same seed, same assignment');
  }
  assert.notDeepEqual(assignReviews(ids, ['a', 'b', 'c'], 2, 8), assignReviews(ids, ['a', 'b', 'c'], 2, 7));
});

test('j / k walk my own unreviewed assigned problems in review order', () => {
  const items = [
    { problemId: 'p1', annotators: ['ann', 'bob'] },
    { problemId: 'p2', annotators: ['bob', 'cara'] },
    { problemId: 'p3', annotators: ['ann', 'cara'] },
    { problemId: 'p4', annotators: ['ann', 'bob'] },
    { problemId: 'p5', annotators: ['ann', 'cara'] },
  ];
  const ev = (author: string, e: Partial<CuratorEvent> & { type: CuratorEvent['type'] }): CuratorEvent => ({ id: `${author}${Math.random()}`, at: 'x', author, ...e }) as CuratorEvent;
  const events: CuratorEvent[] = [
    ev('ann', { type: 'reviewed', problemId: 'p3', reviewed: true }),
    ev('bob', { type: 'reviewed', problemId: 'p4', reviewed: true }),
    ev('ann', { type: 'label-override', problemId: 'p5', label: 'inlier', reason: 'r' }),
  ];
  const mine = reviewedBy(events, 'ann');
  assert.deepEqual([...mine].sort(), ['p3', 'p5']);
  assert.equal(nextAssigned(items, 'ann', mine, 'p1', 'next'), 'p4', 'p3 reviewed by me, p4 only by bob');
  assert.equal(nextAssigned(items, 'ann', mine, 'p4', 'next'), null, 'p5 decided: nothing left');
  assert.equal(nextAssigned(items, 'ann', mine, 'p4', 'prev'), 'p1');
  assert.equal(nextAssigned(items, 'ann', mine, 'p2', 'next'), 'p1', 'from a problem not mine, j starts at the top');
  assert.equal(nextAssigned(items, 'dan', new Set(), 'p1', 'next'), null);
  const unmarked = [...events, ev('ann', { type: 'reviewed', problemId: 'p3', reviewed: false })];
  assert.equal(nextAssigned(items, 'ann', reviewedBy(unmarked, 'ann'), 'p1', 'next'), 'p3');
});
