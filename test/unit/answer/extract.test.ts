import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnswer } from '../../../src/core/answer/index';

test('the last box wins, with nested braces kept whole', () => {
  const r = extractAnswer('First \\boxed{1}, then \\boxed{\\frac{\\sqrt{2}}{2}} is it.');
  assert.deepEqual(r, { extracted: '\\frac{\\sqrt{2}}{2}', method: 'box' });
});

test('boxes inside $…$, \\[…\\] and \\(…\\), with a space before the brace, and \\fbox', () => {
  assert.equal(extractAnswer('so $\\boxed{12}$.').extracted, '12');
  assert.equal(extractAnswer('\\[\n\\boxed{\\sqrt{34} + 3\\sqrt{10}}\n\\]').extracted, '\\sqrt{34} + 3\\sqrt{10}');
  assert.equal(extractAnswer('is \\(\\boxed{12 \\frac{3}{5}}\\).').extracted, '12 \\frac{3}{5}');
  assert.equal(extractAnswer('answer \\boxed {x+1}').extracted, 'x+1');
  assert.equal(extractAnswer('answer \\fbox{7}').extracted, '7');
});

test('a box without braces runs to the next dollar sign', () => {
  assert.deepEqual(extractAnswer('thus $\\boxed 5$ apples'), { extracted: '5', method: 'box' });
});

test('an empty last box falls back to the box before it', () => {
  assert.equal(extractAnswer('\\boxed{3} and later \\boxed{}').extracted, '3');
});

test('a truncated last box still yields what was written', () => {
  assert.equal(extractAnswer('so \\boxed{\\frac{1}{2').extracted, '\\frac{1}{2');
});

test('escaped braces inside a box do not end it', () => {
  assert.equal(extractAnswer('\\boxed{\\{1, 2\\}}').extracted, '\\{1, 2\\}');
});

test('phrases: "the answer is", "final answer:", in that order of preference to boxes', () => {
  assert.deepEqual(extractAnswer('We compute. The answer is $42$.'), { extracted: '42', method: 'phrase' });
  assert.deepEqual(extractAnswer('Work...\nFinal answer: 3.5\n'), { extracted: '3.5', method: 'phrase' });
  assert.deepEqual(extractAnswer('The final answer is \\(x=2\\). I hope it is correct.'), { extracted: 'x=2', method: 'phrase' });
  assert.equal(extractAnswer('the answer is 7 but \\boxed{8}').extracted, '8');
});

test('no box and no phrase: the last number, as the reference does for math; a #### tail first for GSM8K', () => {
  const text = 'She has 3 apples and buys 4 more, so 7 in all';
  assert.deepEqual(extractAnswer(text), { extracted: '7', method: 'last-number' });
  assert.deepEqual(extractAnswer(text, { dataName: 'math' }), { extracted: '7', method: 'last-number' });
  assert.deepEqual(extractAnswer(text, { dataName: 'gsm8k' }), { extracted: '7', method: 'last-number' });
  assert.deepEqual(extractAnswer('costs $1,250 in total', { dataName: 'gsm8k' }), { extracted: '1250', method: 'last-number' });
  assert.deepEqual(extractAnswer('so x = -0.75 here'), { extracted: '-0.75', method: 'last-number' });
  assert.deepEqual(extractAnswer('3 + 4 = 7\n#### 7', { dataName: 'gsm8k' }), { extracted: '7', method: 'phrase' });
  // Multiple-choice datasets read a letter, never a number.
  assert.deepEqual(extractAnswer(text, { dataName: 'aqua' }), { extracted: null, method: 'none' });
});

test('a phrase followed by a whole sentence gives the value the sentence states', () => {
  assert.deepEqual(extractAnswer('Final Answer: The largest $n$ is 34.'), { extracted: '34', method: 'phrase' });
  assert.deepEqual(extractAnswer('Final answer: the number of ways is $\\frac{7}{2}$.'), { extracted: '\\frac{7}{2}', method: 'phrase' });
  // A value with a verb inside its math stays whole; a plain value is untouched.
  assert.deepEqual(extractAnswer('The answer is $n \\text{ is } 5$.'), { extracted: 'n \\text{ is } 5', method: 'phrase' });
  assert.deepEqual(extractAnswer('Final answer: 12 is odd'), { extracted: '12 is odd', method: 'phrase' });
});

test('"Final answer is B" without "the", any capitalisation', () => {
  assert.deepEqual(extractAnswer('Final answer is B'), { extracted: 'B', method: 'phrase' });
  assert.deepEqual(extractAnswer('FINAL ANSWER IS 12'), { extracted: '12', method: 'phrase' });
});

test("Minerva's \"The final answer is $X$. I hope it is correct.\" is the stated answer, even after a box", () => {
  const r = extractAnswer('So \\boxed{4} is wrong, redo: 5.\nFinal Answer: The final answer is $5$. I hope it is correct.');
  assert.deepEqual(r, { extracted: '5', method: 'phrase' });
  assert.equal(extractAnswer('Final Answer: The final answer is $\\boxed{\\frac{1}{2}}$. I hope it is correct.').extracted, '\\frac{1}{2}');
  // "I hope it is correct" without the phrase before it is not the format: the box is read.
  assert.equal(extractAnswer('\\boxed{4}. I hope it is correct.').extracted, '4');
});

test('nothing found is reported as none', () => {
  assert.deepEqual(extractAnswer(''), { extracted: null, method: 'none' });
  assert.deepEqual(extractAnswer('no final answer here'), { extracted: null, method: 'none' });
  assert.deepEqual(extractAnswer('no digits at all'), { extracted: null, method: 'none' });
});

test('long runs of spaces and repeated phrases are scanned in linear time', () => {
  const inputs = [
    ' '.repeat(200_000) + 'x',
    '\n'.repeat(100_000) + ' '.repeat(100_000),
    'final answer is ' + ' '.repeat(199_000) + 'I hope it is correct',
    ('The answer is ' + ' '.repeat(5000)).repeat(30),
    'Final Answer: The' + ' is'.repeat(60_000),
  ];
  for (const text of inputs) {
    const start = performance.now();
    extractAnswer(text);
    assert.ok(performance.now() - start < 1000, `took ${performance.now() - start} ms on ${JSON.stringify(text.slice(0, 30))}…`);
  }
});
