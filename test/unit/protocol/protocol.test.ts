import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, parseInspectorFocus, parsePanelState, parseWebviewRequest } from '../../../src/protocol';

test('well-formed intents parse, each with its sequence number', () => {
  const ok = [
    { type: 'ready' },
    { type: 'override-label', problemId: 'p1', label: 'inlier', reason: 'too easy' },
    { type: 'clear-override', problemId: 'p1' },
    { type: 'mark-reviewed', problemId: 'p1', reviewed: true },
    { type: 'pair-swap', problemId: 'p1', chosenId: 'p1:0', rejectedId: 'p1:1' },
    { type: 'pair-drop', problemId: 'p1', chosenId: 'p1:0', rejectedId: 'p1:1' },
    { type: 'pair-pin', problemId: 'p1', chosenId: 'p1:0', rejectedId: 'p1:1', pinned: true },
    { type: 'pair-add', problemId: 'p1', chosenId: 'p1:0', rejectedId: 'p1:1' },
    { type: 'undo' },
    { type: 'navigate', problemId: 'p1', direction: 'next' },
    { type: 'compare', problemId: 'p1', responseIds: ['p1:0', 'p1:1'] },
    { type: 'compare', problemId: 'p1', responseIds: null },
  ];
  ok.forEach((intent, seq) => {
    const r = parseWebviewRequest({ kind: 'request', seq, intent });
    assert.ok(r.ok, JSON.stringify(intent));
    if (r.ok) {
      assert.equal(r.value.seq, seq);
      assert.equal(r.value.intent.type, intent.type);
    }
  });
});

test('malformed messages are refused with the path of the problem', () => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /message|expected/i],
    ['override', /expected/i],
    [{ kind: 'request', seq: 1, intent: { type: 'override-label', problemId: 'p1', label: 'inlier', reason: '   ' } }, /intent\.reason/],
    [{ kind: 'request', seq: 1, intent: { type: 'override-label', problemId: 'p1', label: 'easy', reason: 'x' } }, /intent\.label/],
    [{ kind: 'request', seq: 1, intent: { type: 'run-shell', command: 'rm -rf /' } }, /intent/],
    [{ kind: 'request', seq: -1, intent: { type: 'undo' } }, /seq/],
    [{ kind: 'request', seq: 1, intent: { type: 'undo', extra: 'smuggled' } }, /intent/],
    [{ kind: 'request', seq: 1, intent: { type: 'mark-reviewed', problemId: 'p1', reviewed: 'yes' } }, /intent\.reviewed/],
    [{ kind: 'request', seq: 1, intent: { type: 'compare', problemId: 'p1', responseIds: ['a'] } }, /intent\.responseIds/],
    [{ kind: 'request', seq: 1, intent: { type: 'navigate', problemId: '', direction: 'next' } }, /intent\.problemId/],
  ];
  for (const [raw, where] of bad) {
    const r = parseWebviewRequest(raw);
    assert.equal(r.ok, false, JSON.stringify(raw));
    if (!r.ok) assert.match(r.error, where);
  }
});

test('host messages: replies, errors and empty states parse; a render without a payload does not', () => {
  assert.ok(parseHostMessage({ kind: 'reply', seq: 3 }).ok);
  assert.ok(parseHostMessage({ kind: 'error', seq: null, message: 'x' }).ok);
  assert.ok(parseHostMessage({ kind: 'empty', message: 'Open a run' }).ok);
  assert.equal(parseHostMessage({ kind: 'render' }).ok, false);
  assert.equal(parseHostMessage({ kind: 'eval', code: 'alert(1)' }).ok, false);
});

test('a focus is a response id and maybe a step index; bad ones are refused with their path', () => {
  assert.deepEqual(parseInspectorFocus({ responseId: 'p1:3', stepIndex: 2 }), { ok: true, value: { responseId: 'p1:3', stepIndex: 2 } });
  // A missing step means "the response, no step": it arrives as null on the other side.
  assert.deepEqual(parseInspectorFocus({ responseId: 'p1:3' }), { ok: true, value: { responseId: 'p1:3', stepIndex: null } });
  const bad: Array<[unknown, RegExp]> = [
    ['p1:3', /expected/i],
    [{ responseId: '', stepIndex: 0 }, /responseId/],
    [{ responseId: 'p1:3', stepIndex: -1 }, /stepIndex/],
    [{ responseId: 'p1:3', stepIndex: 1.5 }, /stepIndex/],
    [{ responseId: 'p1:3', step: 1 }, /unrecognized/i],
  ];
  for (const [raw, where] of bad) {
    const r = parseInspectorFocus(raw);
    assert.equal(r.ok, false, JSON.stringify(raw));
    if (!r.ok) assert.match(r.error, where);
  }
});

test('restored panel state falls back to nothing open when it is not ours', () => {
  assert.deepEqual(parsePanelState({ problemId: 'p1' }), { problemId: 'p1' });
  assert.deepEqual(parsePanelState({ problemId: 5 }), { problemId: null });
  assert.deepEqual(parsePanelState(undefined), { problemId: null });
});
