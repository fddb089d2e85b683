import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { eventForIntent, lastUndoable, describeEvent } from '../../../src/views/curator-intents';
import { derive, loadLogs, stamp } from './real-run';

const logs = loadLogs();

function apply(events: CuratorEvent[], intent: Parameters<typeof eventForIntent>[0]) {
  const state = derive(logs, events);
  return eventForIntent(intent, state, stamp());
}

const boundary = derive(logs).problems.find((p) => p.effective === 'boundary' && p.pairs.length > 0)!;
const pid = boundary.problem.id;

test('an override becomes a label-override event whose effect shows after derivation; undo restores', () => {
  const r = apply([], { type: 'override-label', problemId: pid, label: 'inlier', reason: '  easy in hindsight ' });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.event.type, 'label-override');
  const events: CuratorEvent[] = [r.event];
  assert.equal(derive(logs, events).byId.get(pid)!.effective, 'inlier');
  const undo = apply(events, { type: 'undo' });
  assert.ok(undo.ok && undo.event.type === 'undo' && undo.event.undoes === r.event.id);
  if (undo.ok) events.push(undo.event);
  assert.equal(derive(logs, events).byId.get(pid)!.effective, 'boundary');
  assert.equal(lastUndoable(derive(logs, events).events), null);
  assert.equal(apply(events, { type: 'undo' }).ok, false);
});

test('pair edits are checked against the current pairs', () => {
  const pair = boundary.pairs[0]!;
  const ref = { problemId: pid, chosenId: pair.chosenId, rejectedId: pair.rejectedId };
  const drop = apply([], { type: 'pair-drop', ...ref });
  assert.ok(drop.ok);
  if (!drop.ok) return;
  const after = derive(logs, [drop.event]).byId.get(pid)!;
  assert.equal(after.pairs.length, boundary.pairs.length - 1);
  const again = apply([drop.event], { type: 'pair-drop', ...ref });
  assert.equal(again.ok, false);
  assert.equal(apply([], { type: 'pair-swap', problemId: pid, chosenId: 'x', rejectedId: 'y' }).ok, false);
  const pin = apply([], { type: 'pair-pin', ...ref, pinned: true });
  assert.ok(pin.ok && pin.event.type === 'pair-pin' && pin.event.pinned);
});

test('adding a pair needs two different responses of the problem, not an existing pair', () => {
  const pair = boundary.pairs[0]!;
  assert.equal(apply([], { type: 'pair-add', problemId: pid, chosenId: pair.chosenId, rejectedId: pair.rejectedId }).ok, false);
  assert.equal(apply([], { type: 'pair-add', problemId: pid, chosenId: `${pid}:0`, rejectedId: `${pid}:0` }).ok, false);
  assert.equal(apply([], { type: 'pair-add', problemId: pid, chosenId: `${pid}:0`, rejectedId: 'math/999:1' }).ok, false);
  const used = new Set(boundary.pairs.flatMap((p) => [`${p.chosenId}>${p.rejectedId}`]));
  const ids = boundary.responses.map((r) => r.response.id);
  const fresh = ids.flatMap((a) => ids.map((b) => [a, b] as const)).find(([a, b]) => a !== b && !used.has(`${a}>${b}`))!;
  const add = apply([], { type: 'pair-add', problemId: pid, chosenId: fresh[0], rejectedId: fresh[1] });
  assert.ok(add.ok);
  if (add.ok) assert.match(describeEvent(add.event), /add pair/);
});

test('clearing needs an override; reviewing and unknown problems', () => {
  assert.equal(apply([], { type: 'clear-override', problemId: pid, reason: '' }).ok, false);
  const r = apply([], { type: 'mark-reviewed', problemId: pid, reviewed: true });
  assert.ok(r.ok && r.event.type === 'reviewed');
  const unknown = apply([], { type: 'mark-reviewed', problemId: 'ghost', reviewed: true });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.error, /ghost/);
});
