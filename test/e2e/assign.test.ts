import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIO } from '../support/cli-capture';

test('hsstar assign writes a seeded, balanced assignments.json; bad flags are usage errors; no silent replace', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-assign-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const cli = async (...argv: string[]) => {
    const io = captureIO(root);
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  const dataset = join(root, 'data.jsonl');
  await writeFile(dataset, Array.from({ length: 9 }, (_, i) => JSON.stringify({ id: `p${i}`, question: `What is ${i} + 1?`, answer: String(i + 1) }) + '\n').join(''));
  assert.equal((await cli('init', 'run', '--dataset', dataset, '--seed', '11')).code, 0);

  let r = await cli('assign', 'run', '--annotators', 'ann,bob,cara', '--overlap', '2');
  assert.equal(r.code, 1);
  assert.match(r.err, /no Boundary problem to assign yet \(run RDE first, or use --all\)/);
  r = await cli('assign', 'run', '--annotators', 'ann,bob,cara', '--overlap', '2', '--all');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /assigned 9 problems, each to 2 of 3 annotators \(seed 11\)/);
  assert.match(r.out, /ann: 6\n {2}bob: 6\n {2}cara: 6\n/);
  const file = join(root, 'run', 'assignments.json');
  const first = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(first.items.length, 9);

  r = await cli('assign', 'run', '--annotators', 'ann,bob,cara', '--overlap', '2', '--all');
  assert.equal(r.code, 1);
  assert.match(r.err, /already has assignments\.json; use --force/);
  r = await cli('assign', 'run', '--annotators', 'ann,bob,cara', '--overlap', '2', '--all', '--force');
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).items, first.items, 'the same seed gives the same assignment');

  for (const [args, message] of [
    [['--annotators', 'ann,bob', '--overlap', '3'], /--overlap must be a whole number from 1 to 2/],
    [['--annotators', 'ann,ann'], /names someone twice/],
    [['--overlap', '1'], /missing --annotators/],
    [['--annotators', 'a', '--seed', 'x'], /--seed must be an integer/],
  ] as const) {
    r = await cli('assign', 'run', ...args, '--all', '--force');
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
  }
  await writeFile(file, '{"version": 1}');
  r = await cli('assign', 'run', '--annotators', 'a', '--all', '--force');
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`${file}: not an assignments file: seed: `));
});
