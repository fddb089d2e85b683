import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { agreementByCategory, floorKey, FLOOR_FILE } from '../../fixtures/answer/agreement';

/** Agreement per category as last recorded (`npm run bench:grader -- --record-floor`). */
const floor = JSON.parse(readFileSync(FLOOR_FILE, 'utf8')) as Record<string, { pairs: number; agreeing: number }>;
const rows = agreementByCategory();

test('no category of the three corpora agrees less often than its recorded floor', () => {
  const dropped: string[] = [];
  for (const [key, f] of Object.entries(floor)) {
    const row = rows.find((r) => floorKey(r) === key);
    if (!row) {
      dropped.push(`${key}: category gone`);
      continue;
    }
    // Rates, compared without division: agreeing/pairs ≥ f.agreeing/f.pairs.
    if (row.agreeing * f.pairs < f.agreeing * row.pairs) {
      dropped.push(`${key}: ${row.agreeing}/${row.pairs}, floor ${f.agreeing}/${f.pairs}\n    ${row.examples.join('\n    ')}`);
    }
  }
  assert.deepEqual(dropped, []);
});

test('every category has a recorded floor', () => {
  assert.deepEqual(rows.map(floorKey).filter((k) => !(k in floor)), []);
});
