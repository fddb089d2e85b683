import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel, DEFAULT_TREE_OPTIONS, problemTooltip, type ProblemNode, type MoreNode } from '../../../src/views/tree-model';
import { derive, loadLogs, stamp } from './real-run';

const logs = loadLogs();
const state = derive(logs);

test('roots are Boundary, Inlier, Outlier with the run counts; no Unlabelled once labelled', () => {
  const tree = new TreeModel(state);
  const roots = tree.roots();
  assert.deepEqual(roots.map((r) => r.group), ['boundary', 'inlier', 'outlier']);
  for (const r of roots) assert.equal(r.count, state.counts[r.group as keyof typeof state.counts]);
  assert.equal(roots.reduce((n, r) => n + r.count, 0), 50);
  assert.match(roots[0]!.description, new RegExp(`^${state.counts.boundary} · ${state.counts.boundary} to review$`));
});

test('an Unlabelled group appears before RDE and holds every problem', () => {
  const fresh = derive({ ...logs, responses: [] });
  const tree = new TreeModel(fresh);
  const roots = tree.roots();
  assert.deepEqual(roots.map((r) => r.group), ['boundary', 'inlier', 'outlier', 'unlabelled']);
  assert.equal(roots[3]!.count, 50);
  assert.equal(tree.badge, 0);
});

test('the badge counts Boundary problems nobody has reviewed; reviewing one lowers it', () => {
  const before = new TreeModel(state);
  assert.equal(before.badge, state.counts.boundary);
  const target = state.problems.find((p) => p.effective === 'boundary')!;
  const after = new TreeModel(derive(logs, [{ ...stamp(), type: 'reviewed', problemId: target.problem.id, reviewed: true }]));
  assert.equal(after.badge, before.badge - 1);
  const node = after.children('boundary', 100).find((n) => n.kind === 'problem' && n.problemId === target.problem.id) as ProblemNode;
  assert.equal(node.icon, 'reviewed');
  assert.equal(node.contextValue, 'problem-reviewed');
});

test('children come in pages with a "more" node counting the rest', () => {
  const tree = new TreeModel(state);
  const page = tree.children('boundary', 10);
  assert.equal(page.length, 11);
  const more = page[10] as MoreNode;
  assert.equal(more.kind, 'more');
  assert.equal(more.shown, 10);
  assert.equal(more.remaining, state.counts.boundary - 10);
  const all = tree.children('boundary', 1000);
  assert.equal(all.length, state.counts.boundary);
  assert.ok(all.every((n) => n.kind === 'problem'));
  // The first page is a prefix of the full list.
  assert.deepEqual(page.slice(0, 10).map((n) => (n as ProblemNode).problemId), all.slice(0, 10).map((n) => (n as ProblemNode).problemId));
});

test('sort by phi_a, phi_r and id, both directions, ties in dataset order', () => {
  const ids = (t: TreeModel) => t.children('boundary', 1000).map((n) => state.byId.get((n as ProblemNode).problemId)!);
  const byR = ids(new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'phiR' }));
  for (let i = 1; i < byR.length; i++) assert.ok(byR[i - 1]!.phiR! <= byR[i]!.phiR!);
  const byRDesc = ids(new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'phiR', descending: true }));
  assert.deepEqual(byRDesc.map((p) => p.problem.id), [...byR].reverse().map((p) => p.problem.id));
  const byA = ids(new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'phiA' }));
  const order = new Map(state.problems.map((p, i) => [p.problem.id, i]));
  for (let i = 1; i < byA.length; i++) {
    const [a, b] = [byA[i - 1]!, byA[i]!];
    assert.ok(a.phiA! < b.phiA! || (a.phiA === b.phiA && order.get(a.problem.id)! < order.get(b.problem.id)!));
  }
  const byId = ids(new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'id' })).map((p) => Number(p.problem.id.split('/')[1]));
  assert.deepEqual(byId, [...byId].sort((x, y) => x - y), 'numeric-aware id order (math/9 before math/11)');
});

test('unscored problems sort last in either direction', () => {
  const partial = derive({ ...logs, prm: new Map([...logs.prm].filter(([id]) => !id.startsWith('math/5:'))) });
  for (const descending of [false, true]) {
    const t = new TreeModel(partial, { sort: 'phiR', descending, filter: '' });
    const group = partial.byId.get('math/5')!.effective;
    const list = t.children(group, 1000) as ProblemNode[];
    assert.equal(list.at(-1)!.problemId, 'math/5');
  }
});

test('the text filter matches question text and id, case-insensitively, and counts "n of total"', () => {
  const tree = new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, filter: '  TRIANGLE ' });
  const expected = state.problems.filter((p) => p.problem.question.toLowerCase().includes('triangle'));
  assert.ok(expected.length > 0 && expected.length < 50);
  const shown = tree.roots().flatMap((g) => tree.children(g.group, 1000) as ProblemNode[]);
  assert.deepEqual(new Set(shown.map((n) => n.problemId)), new Set(expected.map((p) => p.problem.id)));
  const boundary = tree.roots()[0]!;
  assert.match(boundary.description, new RegExp(`^${boundary.count} of ${state.counts.boundary}`));
  const byId = new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, filter: 'math/5' });
  assert.ok(byId.roots().flatMap((g) => byId.children(g.group, 100) as ProblemNode[]).some((n) => n.problemId === 'math/5'));
  assert.equal(new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, filter: 'no such words here' }).roots().every((g) => g.count === 0), true);
});

test('problem nodes: short label, accuracy and process score, override icon, plain-text tooltip', () => {
  const target = state.problems.find((p) => p.effective === 'boundary')!;
  const overridden = derive(logs, [{ ...stamp(), type: 'label-override', problemId: target.problem.id, label: 'inlier', reason: 'trivial <b>x</b>' }]);
  const tree = new TreeModel(overridden);
  const node = (tree.children('inlier', 1000) as ProblemNode[]).find((n) => n.problemId === target.problem.id)!;
  assert.equal(node.icon, 'override');
  assert.ok(node.label.length <= 80);
  assert.equal(node.description, `acc ${target.phiA!.toFixed(2)} · proc ${target.phiR!.toFixed(2)}`);
  const tip = problemTooltip(overridden.byId.get(target.problem.id)!);
  assert.ok(tip.facts.some(([k, v]) => k === 'Label' && v.includes('curator override') && v.includes('Boundary')));
  assert.ok(tip.facts.some(([k, v]) => k === 'Override reason' && v === 'trivial <b>x</b>'));
});

test('neighbour and position follow the displayed order of the group', () => {
  const tree = new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'phiR' });
  const ids = tree.groupIds('boundary');
  assert.deepEqual(tree.positionOf(ids[3]!), { group: 'boundary', index: 3, total: ids.length });
  assert.equal(tree.neighbour(ids[3]!, 'next'), ids[4]);
  assert.equal(tree.neighbour(ids[3]!, 'prev'), ids[2]);
  assert.equal(tree.neighbour(ids[0]!, 'prev'), null);
  assert.equal(tree.neighbour(ids.at(-1)!, 'next'), null);
  assert.equal(tree.positionOf('nope'), null);
});

test('problems whose annotators disagree form a Conflict group, first, and leave their label group until settled', () => {
  const [a, b] = state.problems.filter((p) => p.effective === 'boundary').map((p) => p.problem.id);
  const override = (author: string, problemId: string, label: 'inlier' | 'outlier') => ({ ...stamp(author), type: 'label-override' as const, problemId, label, reason: `${author} thinks ${label}` });
  const events = [override('ann', a!, 'inlier'), override('bob', a!, 'outlier'), override('ann', b!, 'inlier'), override('bob', b!, 'inlier')];
  const tree = new TreeModel(derive(logs, events));
  const roots = tree.roots();
  assert.deepEqual(roots.map((r) => r.group), ['conflict', 'boundary', 'inlier', 'outlier']);
  assert.deepEqual([roots[0]!.label, roots[0]!.count], ['Conflict', 1]);
  assert.deepEqual(tree.groupIds('conflict'), [a]);
  assert.equal(roots[1]!.count, state.counts.boundary - 2, 'a sits in Conflict, b moved to Inlier by agreement');
  assert.ok(tree.groupIds('inlier').includes(b!));
  assert.equal(roots.reduce((n, r) => n + r.count, 0), 50, 'every problem listed once');
  assert.deepEqual(tree.positionOf(a!), { group: 'conflict', index: 0, total: 1 });
  assert.equal((tree.children('conflict', 10)[0] as ProblemNode).group, 'conflict');
  assert.deepEqual(problemTooltip(tree.state.byId.get(a!)!).facts.at(-1), ['Annotators', 'ann: Inlier, bob: Outlier (conflict)']);
  // A lead's decision settles it: the Conflict group goes.
  const settled = new TreeModel(derive(logs, [...events, { ...stamp('ann'), type: 'role', annotator: 'bob', role: 'lead' }]));
  assert.deepEqual(settled.roots().map((r) => r.group), ['boundary', 'inlier', 'outlier']);
  assert.equal(settled.state.byId.get(a!)!.effective, 'outlier');
});
