import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TreeModel, DEFAULT_TREE_OPTIONS } from '../../../src/views/tree-model';
import { diffTrees } from '../../../src/views/tree-diff';
import { derive, loadLogs, stamp } from './real-run';

const logs = loadLogs();
const state = derive(logs);
const boundaryId = state.problems.find((p) => p.effective === 'boundary')!.problem.id;

test('an identical re-derivation changes nothing', () => {
  const change = diffTrees(new TreeModel(state), new TreeModel(derive(logs)));
  assert.deepEqual(change, { full: false, groups: [], badge: false });
});

test('marking a problem reviewed refreshes only its group and the badge', () => {
  const next = derive(logs, [{ ...stamp(), type: 'reviewed', problemId: boundaryId, reviewed: true }]);
  assert.deepEqual(diffTrees(new TreeModel(state), new TreeModel(next)), { full: false, groups: ['boundary'], badge: true });
});

test('an override that moves a problem refreshes the group it left and the one it joined', () => {
  const next = derive(logs, [{ ...stamp(), type: 'label-override', problemId: boundaryId, label: 'outlier', reason: 'hard' }]);
  const change = diffTrees(new TreeModel(state), new TreeModel(next));
  assert.equal(change.full, false);
  assert.deepEqual([...change.groups].sort(), ['boundary', 'outlier']);
  assert.equal(change.badge, true);
});

test('a changed filter or sort, or a group appearing, needs a full refresh', () => {
  const base = new TreeModel(state);
  assert.equal(diffTrees(base, new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, filter: 'x' })).full, true);
  assert.equal(diffTrees(base, new TreeModel(state, { ...DEFAULT_TREE_OPTIONS, sort: 'phiA' })).full, true);
  assert.equal(diffTrees(base, new TreeModel(derive({ ...logs, responses: [] }))).full, true);
});

test('a new response for one problem refreshes that problem\'s group only', () => {
  const target = state.byId.get(boundaryId)!;
  const extra = { ...target.responses[0]!.response, id: `${boundaryId}:8`, slot: 8, stage: 're' as const };
  const next = derive({ ...logs, responses: [...logs.responses, extra] });
  assert.deepEqual(diffTrees(new TreeModel(state), new TreeModel(next)).groups, [next.byId.get(boundaryId)!.effective]);
});
