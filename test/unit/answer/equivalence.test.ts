import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEquivalent, gradeResponse, GRADER_VERSION } from '../../../src/core/answer/index';

const same: [string, string, string][] = [
  ['exact after normalisation', '\\dfrac{3}{4}', '\\frac34'],
  ['integers', '131250', '131250'],
  ['integer written as decimal', '27.0', '27'],
  ['decimal within 1e-4', '0.33333', '\\frac{1}{3}'],
  ['percent and fraction', '50\\%', '\\frac{1}{2}'],
  ['percent and decimal', '12.5%', '0.125'],
  ['percent sign only', '25\\%', '25'],
  ['mixed number', '1\\frac{1}{10}', '1.1'],
  ['scientific e', '1.5e3', '1500'],
  ['scientific times', '6.29\\times10^{6}', '6290000'],
  ['leading dot', '.5', '0.5'],
  ['sqrt forms', '\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}'],
  ['sqrt product', '\\sqrt{52}', '2\\sqrt{13}'],
  ['pi', '\\frac{\\pi}{2}', '1.5708'],
  ['e', 'e^{2}', '7.389056'],
  ['i', '3+2i', '2i+3'],
  ['i squared', 'i^2', '-1'],
  ['polynomial identity', 'x^2+2x+1', '(x+1)^2'],
  ['equation against expression', 'y = 2x+1', '2x+1'],
  ['equation sides swapped', 'x+y=3', '3=x+y'],
  ['tuple element-wise', '\\left(3, \\frac{\\pi}{2}\\right)', '(3,\\dfrac{\\pi}{2})'],
  ['bare tuple', '3, \\frac{\\pi}{2}', '(3,\\frac{\\pi}{2})'],
  ['interval with closed end', '\\left[\\frac{3}{5}, \\frac{8}{3}\\right]', '[0.6,\\frac{8}{3}]'],
  ['interval with infinity', '(-\\infty, 0]', '(-\\infty,0]'],
  ['union in any order', '(3,\\infty)\\cup(-\\infty,2)', '(-\\infty, 2) \\cup (3, \\infty)'],
  ['set order', '\\{3,1,2\\}', '\\{1,2,3\\}'],
  ['list order', '-2, 1', '1,-2'],
  ['matrix element-wise', '\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', '\\begin{pmatrix}\\frac{1}{5}\\\\-\\frac{18}{5}\\end{pmatrix}'],
  ['choice letters', '\\text{(B)}', 'B'],
  ['words without case', 'Evelyn', '\\text{evelyn}'],
  ['floor', '\\lfloor n/2\\rfloor+1', '1+\\lfloor n/2\\rfloor'],
  ['plus-minus as two answers', '1\\pm\\sqrt{5}', '1-\\sqrt{5}, 1+\\sqrt{5}'],
  ['plus-minus inside a set', '\\{-2, 1\\pm\\sqrt{5}\\}', '\\{1\\pm\\sqrt{5},-2\\}'],
  ['membership prefix', 'x \\in [1, 2)', '[1,2)'],
  ['approximately', '\\approx 3.1416', '\\pi'],
  ['braced subscript', '52_{8}', '52_8'],
  ['exact huge integers', '2^{100}', '1267650600228229401496703205376'],
  ['MATH thousands with \\!', '10080', '10,\\!080'],
  ['MATH dollars with \\!', '32348', '\\$32,\\!348'],
  ['MATH thousands with \\! and a space', '11111111100', '11,\\! 111,\\! 111,\\! 100'],
  ['equation times -1', '3x-2y+6=0', '-3x+2y-6=0'],
  ['equation times a factor', '6x-4y+12=0', '3x-2y+6=0'],
  ['line in slope-intercept form', 'y=\\frac{3}{2}x+3', '3x-2y+6=0'],
  ['equation solved for the other side', '5=x', 'x=5'],
  ['operatorname gcd', '\\operatorname{gcd}(18, 3)', '3'],
  ['operatorname lcm', '\\operatorname{lcm}(4,6)', '12'],
  ['operatorname arcsinh', '\\operatorname{arcsinh} 1', '\\ln(1+\\sqrt{2})'],
  ['mathrm max', '\\mathrm{max}(2, 7, 5)', '7'],
  ['percent word', '12 percent', '0.12'],
  ['pct', '12 pct', '12\\%'],
  ['percentage', '12 percentage points', '12\\%'],
  ['matrix in \\left( \\right)', '\\left(\\begin{matrix}1&2\\\\3&4\\end{matrix}\\right)', '\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}'],
  ['or joins a list', '3 \\text{ or } 5', '5, 3'],
  ['and joins a list', '1, 2, and 3', '\\{3,2,1\\}'],
  ['named tuple', '(3,2)', '(p,q)=(3,2)'],
  ['named alternatives', '5, -1', 'x=5 \\text{ or } x=-1'],
  ['negated inequality', '-x > -1', 'x < 1'],
  ['inequality sides swapped', '1 \\geq x', 'x \\le 1'],
  ['inequality scaled', '2x+2 < 6', 'x<2'],
];
const different: [string, string, string][] = [
  ['integers exact, no tolerance', '131251', '131250'],
  ['integer is not a near decimal', '12.0001', '12'],
  ['decimal beyond 1e-4', '0.333', '\\frac{1}{3}'],
  ['percent missing', '50', '0.5'],
  ['open vs closed end', '(1,2]', '(1,2)'],
  ['tuple order matters', '(2,1)', '(1,2)'],
  ['set size', '\\{1,2\\}', '\\{1,2,3\\}'],
  ['matrix transposed', '\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}', '\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}'],
  ['matrix against tuple', '\\begin{pmatrix}1\\\\2\\end{pmatrix}', '(1,2)'],
  ['pi approximated coarsely', '3.14', '\\pi'],
  ['other conjugate', '3-2i', '3+2i'],
  ['other polynomial', 'x^2+2x', '(x+1)^2'],
  ['other choice', '(A)', 'B'],
  ['empty prediction', '', '5'],
  ['value against an equation', '3', 'x+y=3'],
  ['infinity against a number', '\\infty', '5'],
  ['overflowing values are not all equal', '999!', '998!'],
  ['overflowing powers', '10^{400}', '10^{401}'],
  ['plus-minus is not one of its values', '1\\pm\\sqrt{5}', '1+\\sqrt{5}'],
  ['other line', '3x-2y-6=0', '3x-2y+6=0'],
  ['other equation in one variable', 'x=3', 'x=4'],
  ['square is not the root', 'x^2=4', 'x=2'],
  ['inequality reversed', 'x > 1', 'x < 1'],
  ['strict against non-strict', 'x \\leq 1', 'x < 1'],
  ['inequality times -1 without reversing', '-x < -1', 'x < 1'],
  ['operatorname gcd of other numbers', '\\operatorname{gcd}(18, 4)', '3'],
  ['percent word is not the number scaled', '12 percent', '12000'],
  ['named tuple, other values', '(2,3)', '(p,q)=(3,2)'],
];

for (const [name, a, b] of same) test(`equal: ${name}`, () => assert.equal(isEquivalent(a, b), true, `${a} vs ${b}`));
for (const [name, a, b] of different) test(`not equal: ${name}`, () => assert.equal(isEquivalent(a, b), false, `${a} vs ${b}`));

test('pathological inputs come back "not equal" within the bound', () => {
  const inputs = [
    '10^{10^{10}}',
    '2^{3^{4^{5^{6}}}}',
    Array.from({ length: 2500 }, (_, i) => `${i}x^{${i % 7}}`).join('+'), // about 20 KB
    '{'.repeat(20000) + '1' + '}'.repeat(20000),
    '\\frac{'.repeat(3000) + '1' + '}{2}'.repeat(3000),
    '\\sqrt{'.repeat(3000) + '2' + '}'.repeat(3000),
    '\\boxed{'.repeat(5000),
  ];
  for (const s of inputs) {
    const start = performance.now();
    assert.equal(isEquivalent(s, '5'), false);
    assert.equal(isEquivalent('5', s), false);
    assert.ok(performance.now() - start < 5000, `took ${performance.now() - start} ms on ${s.slice(0, 30)}`);
  }
});

test('an exhausted time bound answers "not equal" instead of working on', () => {
  // With no time left, only the stages before the first check can say "equal".
  assert.equal(isEquivalent('\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}', { timeoutMs: 0 }), false);
  assert.equal(isEquivalent('7', '7', { timeoutMs: 0 }), true);
});

test('gradeResponse extracts then compares, and the grader has a version', () => {
  assert.deepEqual(gradeResponse('... so the total is \\boxed{10{,}000}.', '10000'), { extracted: '10{,}000', method: 'box', correct: true });
  assert.deepEqual(gradeResponse('no answer', '3'), { extracted: null, method: 'none', correct: false });
  assert.deepEqual(gradeResponse('3 + 4 = 7 apples', '7', { dataName: 'gsm8k' }), { extracted: '7', method: 'last-number', correct: true });
  assert.match(GRADER_VERSION, /^\d+\.\d+\.\d+$/);
});
