import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseAnswer } from '../../../src/core/answer/index';

const cases: [string, string, string][] = [
  ['\\left/\\right', '\\left( 3, \\frac{\\pi}{2} \\right)', '(3,\\frac{\\pi}{2})'],
  ['\\dfrac', '\\dfrac{3}{4}', '\\frac{3}{4}'],
  ['\\tfrac', '\\tfrac{3}{4}', '\\frac{3}{4}'],
  ['\\text unit', '12\\text{ cm}', '12'],
  ['\\mbox unit', '5 \\mbox{ dollars}', '5'],
  ['square units', '100\\text{ square units}', '100'],
  ['plain unit word', '12 inches', '12'],
  ['degrees', '90^\\circ', '90'],
  ['degrees braced', '90^{\\circ}', '90'],
  ['dollar sign', '\\$18.50', '18.50'],
  ['math dollars', '$x+1$', 'x+1'],
  ['trailing period', '42.', '42'],
  ['thousands comma', '1,000', '1000'],
  ['thousands {,}', '10{,}000', '10000'],
  ['thousands thin space', '1\\,000', '1000'],
  ['leading x =', 'x = 5', '5'],
  ['leading k=', 'k=2', '2'],
  ['spaces', ' 3 \\sqrt{13} ', '3\\sqrt{13}'],
  ['\\!', '\\!7\\!', '7'],
  ['percent kept for comparison', '50\\%', '50%'],
  ['.5', '.5', '0.5'],
  ['-.5', '-.5', '-0.5'],
  ['gsm8k tail', 'so 3+4=7\n#### 7', '7'],
  ['choice (A)', '(A)', 'A'],
  ['choice \\text{(B)}', '\\text{(B)}', 'B'],
  ['choice \\textbf{(C)}', '\\textbf{(C) } 12', 'C'],
  ['\\frac12', '\\frac12', '\\frac{1}{2}'],
  ['\\sqrt2', '11\\sqrt2', '11\\sqrt{2}'],
  ['command before a letter keeps its space', '\\cot x', '\\cot x'],
  ['words stay', '\\text{Evelyn}', 'Evelyn'],
  ['a spaced list is not a thousands number', '2, 251, 252', '2,251,252'],
  ['"and" between answers', '3 \\text{ and } 5', '3,5'],
  ['empty set', '\\varnothing', '\\emptyset'],
  ['a lone unit is still the answer', '\\text{m}', 'm'],
];

for (const [name, input, expected] of cases) {
  test(`normalise: ${name}`, () => assert.equal(normaliseAnswer(input), expected));
}

test('normalise leaves equations with a compound left side alone', () => {
  assert.equal(normaliseAnswer('x+y = 3'), 'x+y=3');
  assert.equal(normaliseAnswer('y = 2x + 1'), '2x+1');
});
