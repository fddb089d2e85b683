import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ResponseRecord } from '../../../src/core/schema/records';
import { isResponseRecord, toResponseRecord } from '../../../src/store/log/response-check';
import { response } from './fixtures/records';

const valid = { kind: 'response', ...response('p1', 3) };

/** Values each field may be swapped for: valid ones, wrong types, edge numbers. */
const oddValue = fc.oneof(
  fc.constantFrom(null, undefined, '', 'x', 're', 'pre', 'response', 0, -1, 1.5, 2 ** 60, Number.NaN, true, [], {}, { prompt: 1, completion: 2 }, { prompt: -1, completion: 2 }, { prompt: 1 }),
  fc.string(),
  fc.integer(),
  fc.double(),
);

test('the fast response check accepts and rejects exactly what the zod schema does', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...Object.keys(valid), 'extra'), oddValue, { maxKeys: 4 }), (changes) => {
      const candidate: Record<string, unknown> = { ...valid, ...changes };
      for (const [k, v] of Object.entries(changes)) if (v === undefined) delete candidate[k];
      const z = ResponseRecord.safeParse(candidate);
      assert.equal(isResponseRecord(candidate), z.success, JSON.stringify(candidate));
      if (isResponseRecord(candidate) && z.success) assert.deepEqual(toResponseRecord(candidate), z.data);
    }),
    { numRuns: 3000 },
  );
});
