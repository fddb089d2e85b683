import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastBoxed, reduceAnswer, detectLayout, rowToProblem, contentId, dataNameOf } from '../../../src/core/dataset/index';

const src = { file: 'd.jsonl', line: 7 };

test('lastBoxed takes the last box with balanced braces', () => {
  assert.equal(lastBoxed('a \\boxed{1} then \\boxed{\\frac{1}{2}} end'), '\\frac{1}{2}');
  assert.equal(lastBoxed('x = \\boxed {\\{1, 2\\}}'), '\\{1, 2\\}');
  assert.equal(lastBoxed('\\fbox{7}'), '7');
  assert.equal(lastBoxed('no box here'), null);
  assert.equal(lastBoxed('\\boxed{unclosed'), null);
});

test('answers are reduced by mode', () => {
  assert.deepEqual(reduceAnswer('answer', 'It is 5.\n#### 1,000', 'hash-tail'), { ok: true, answer: '1000' });
  assert.deepEqual(reduceAnswer('final_answer', ['$2$', 3], 'list'), { ok: true, answer: '$2$, 3' });
  assert.deepEqual(reduceAnswer('answer', 27.5, 'plain'), { ok: true, answer: '27.5' });
  assert.deepEqual(reduceAnswer('solution', 'so \\boxed{4.5e33} ergs', 'boxed'), { ok: true, answer: '4.5e33' });
  assert.match((reduceAnswer('answer', { v: 1 }, 'plain') as { reason: string }).reason, /must be a string or a number, found object/);
  assert.match((reduceAnswer('answer', 'no tail', 'hash-tail') as { reason: string }).reason, /no '#### answer' line/);
  assert.match((reduceAnswer('final_answer', [], 'list') as { reason: string }).reason, /non-empty list/);
});

test('layout detection prefers a direct answer over a worked solution, and takes overrides', () => {
  const math = detectLayout({ problem: 'q', solution: 's \\boxed{1}', answer: '1', unique_id: 'u' });
  assert.ok(math.ok);
  assert.deepEqual(math.layout, { name: 'problem/answer', questionField: 'problem', answerField: 'answer', answerMode: 'plain', idField: 'unique_id' });
  const minerva = detectLayout({ problem: 'q', solution: 'so \\boxed{2}', idx: 0 });
  assert.ok(minerva.ok && minerva.layout.answerMode === 'boxed');
  const named = detectLayout({ instruction: 'q', output: 'o', label: 'l' }, { questionField: 'instruction', answerField: 'label' });
  assert.ok(named.ok && named.layout.questionField === 'instruction' && named.layout.answerField === 'label' && !named.layout.idField);
  const none = detectLayout({ text: 'q' });
  assert.ok(!none.ok);
  assert.match(none.reason, /no question field found .* the row has text/);
});

test('rows without an id field get a content id that depends only on question and answer', () => {
  const layout = { name: 'q/a', questionField: 'q', answerField: 'a', answerMode: 'plain' as const };
  const a = rowToProblem({ q: ' What is 1+1? ', a: '2' }, layout, src);
  const b = rowToProblem({ q: 'What is 1+1?', a: 2, other: 'x' }, layout, { file: 'e.jsonl', line: 1 });
  assert.ok(a.ok && b.ok);
  assert.equal(a.problem.id, b.problem.id);
  assert.equal(a.problem.id, contentId('What is 1+1?', '2'));
  assert.notEqual(a.problem.id, contentId('What is 1+1?', '3'));
  assert.deepEqual(a.problem.source, src);
});

test('bad rows give a reason naming the field and the type found', () => {
  const layout = { name: 'q/a', questionField: 'q', answerField: 'a', answerMode: 'plain' as const, idField: 'id' };
  const reason = (row: unknown) => {
    const r = rowToProblem(row, layout, src);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason({ q: 'x', a: '1', id: 3 }), 'ok');
  assert.equal(reason({ a: '1', id: 3 }), "missing question field 'q'");
  assert.equal(reason({ q: 5, a: '1', id: 3 }), "field 'q' must be a string, found number");
  assert.equal(reason({ q: '  ', a: '1', id: 3 }), "field 'q' is empty");
  assert.equal(reason({ q: 'x', a: null, id: 3 }), "field 'a' must be a string or a number, found null");
  assert.equal(reason({ q: 'x', a: '1', id: 1.5 }), "field 'id' must be a non-empty string or an integer, found number");
  assert.equal(reason([1]), 'expected a JSON object, found array');
});

test('benchmark family is guessed from the file name', () => {
  assert.equal(dataNameOf('/data/gsm8k.jsonl'), 'gsm8k');
  assert.equal(dataNameOf('minerva_math.json'), 'minerva_math');
  assert.equal(dataNameOf('mine.jsonl'), undefined);
});
