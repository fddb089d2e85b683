import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Problem } from '../../../src/core/schema/problem';
import { isProblem } from '../../../src/store/log/problem-check';

const valid = { id: 'p1', question: 'What is 1 + 1?', answer: '2', source: { file: 'data.jsonl', line: 3 }, dataName: 'gsm8k' };

const oddValue = fc.oneof(
  fc.constantFrom(null, undefined, '', 'x', 0, -1, 1, 1.5, 2 ** 60, Number.NaN, true, [], {}, { file: 'a', line: 1 }, { file: 'a', line: 0 }, { file: 'a', line: 2.5 }, { file: 1, line: 1 }, { file: 'a' }, { file: 'a', line: 1, extra: 1 }),
  fc.string(),
  fc.integer(),
);

test('the fast problem check accepts exactly what the zod schema gives back unchanged', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...Object.keys(valid), 'extra'), oddValue, { maxKeys: 4 }), (changes) => {
      const candidate: Record<string, unknown> = { ...valid, ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === undefined && k !== 'dataName') delete candidate[k];
      const z = Problem.safeParse(candidate);
      const same = z.success && JSON.stringify(z.data) === JSON.stringify(candidate) && Object.keys(candidate).length === Object.keys(z.data).length;
      assert.equal(isProblem(candidate), same, JSON.stringify(candidate));
    }),
    { numRuns: 3000 },
  );
});
