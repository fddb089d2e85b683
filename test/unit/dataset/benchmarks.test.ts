import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { readDataset } from '../../../src/store/dataset/index';
import type { Problem } from '../../../src/core/schema/problem';
import { captureIO } from './capture';

const dir = 'test/fixtures/benchmarks';

/** Each benchmark: expected count, layout, and rows checked against the file by eye. */
const cases: { file: string; count: number; layout: string; rows: { id: string; questionStart: string; answer: string }[] }[] = [
  {
    file: 'math500.jsonl',
    count: 500,
    layout: 'problem/answer',
    rows: [
      { id: 'test/precalculus/807.json', questionStart: 'Convert the point $(0,3)$', answer: '\\left( 3, \\frac{\\pi}{2} \\right)' },
      { id: 'test/geometry/615.json', questionStart: 'Altitudes $\\overline{AD}$', answer: '106^\\circ' },
    ],
  },
  {
    file: 'gsm8k.jsonl',
    count: 1319,
    layout: 'question/answer (hash-tail)',
    rows: [
      { id: '0', questionStart: 'Janet’s ducks lay 16 eggs per day.', answer: '18' },
      { id: '2', questionStart: 'Josh decides to try flipping a house.', answer: '70000' },
      { id: '1318', questionStart: 'Henry and 3 of his friends order 7 pizzas', answer: '14' },
    ],
  },
  {
    file: 'aime24.jsonl',
    count: 30,
    layout: 'problem/answer',
    rows: [
      { id: '60', questionStart: 'Every morning Aya goes for a $9$-kilometer-long walk', answer: '204' },
      { id: '89', questionStart: 'There is a collection of $25$ indistinguishable white chips', answer: '902' },
    ],
  },
  {
    file: 'amc23.jsonl',
    count: 40,
    layout: 'problem/answer',
    rows: [
      { id: '0', questionStart: 'Cities $A$ and $B$ are $45$ miles apart.', answer: '27' },
      { id: '1', questionStart: 'Positive real numbers $x$ and $y$ satisfy', answer: '36' },
    ],
  },
  {
    file: 'minerva_math.jsonl',
    count: 272,
    layout: 'problem/solution (boxed)',
    rows: [
      { id: '0', questionStart: 'Each of the two Magellan telescopes', answer: '1.6' },
      { id: '1', questionStart: 'A white dwarf star has an effective temperature', answer: '4.5e33' },
      { id: '271', questionStart: 'Preamble: Consider the 3-level', answer: '10.1' },
    ],
  },
  {
    file: 'olympiadbench.jsonl',
    count: 675,
    layout: 'question/final_answer (list)',
    rows: [
      { id: '1606', questionStart: 'Xenia and Sergey play the following game.', answer: '2' },
      { id: '3102', questionStart: 'The sum of the interior angles of an $n$-gon', answer: '11' },
    ],
  },
];

for (const c of cases) {
  test(`reads ${c.file}: ${c.count} problems with their reference answers`, async () => {
    const reader = readDataset(`${dir}/${c.file}`);
    const problems: Problem[] = [];
    for await (const p of reader) problems.push(p);
    assert.equal(problems.length, c.count);
    assert.equal(reader.layout?.name, c.layout);
    assert.deepEqual(reader.issues, []);
    assert.equal(new Set(problems.map((p) => p.id)).size, c.count, 'ids are unique');
    for (const row of c.rows) {
      const p = problems.find((x) => x.id === row.id);
      assert.ok(p, `problem ${row.id} found`);
      assert.ok(p.question.startsWith(row.questionStart), p.question.slice(0, 80));
      assert.equal(p.answer, row.answer);
    }
    // Every problem names the line it came from, in file order.
    assert.deepEqual(problems.map((p) => p.source.line), problems.map((_, i) => i + 1));
  });

  test(`hsstar validate ${c.file} prints the count, the layout and every problem`, async () => {
    const { io, out, err } = captureIO();
    const code = await main(['validate', `${dir}/${c.file}`], io);
    assert.equal(code, 0, err());
    const lines = out().trimEnd().split('\n');
    assert.equal(lines.length, c.count + 1);
    assert.match(lines.at(-1)!, new RegExp(`layout ${c.layout.replace(/[()]/g, '\\$&')}, .*; ${c.count} problems, 0 errors, 0 warnings`));
    for (const row of c.rows) {
      const line = lines.find((l) => l.startsWith(`${row.id}\t`));
      assert.ok(line, `line for ${row.id}`);
      assert.ok(line.endsWith(`=> ${row.answer}`), line);
    }
  });
}
