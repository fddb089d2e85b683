import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset, DatasetError, type DatasetReader } from '../../../src/store/dataset/index';
import { main } from '../../../src/cli/main';
import { captureIO } from './capture';

const dir = 'test/bad-inputs/datasets';
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { problems: number; issues: string[] }>;

async function drain(reader: DatasetReader): Promise<{ ids: string[]; thrown: unknown }> {
  const ids: string[] = [];
  try {
    for await (const p of reader) ids.push(p.id);
  } catch (err) {
    return { ids, thrown: err };
  }
  return { ids, thrown: null };
}

function shown(reader: DatasetReader): string[] {
  return reader.issues.map((i) => `${i.severity}: ${i.message}`);
}

test('the corpus holds at least 15 broken inputs, each with its expected messages', () => {
  const files = readdirSync(dir).filter((f) => f !== 'expected.json');
  assert.ok(files.length >= 15, `${files.length} inputs`);
  assert.deepEqual(files.sort(), Object.keys(expected).sort());
});

for (const [file, want] of Object.entries(expected)) {
  test(`bad input ${file}: every problem is reported with file and line`, async () => {
    const path = join(dir, file);
    const reader = readDataset(path, { badLines: 'skip' });
    const { ids } = await drain(reader);
    assert.equal(ids.length, want.problems, `problems kept from ${file}`);
    const got = shown(reader);
    const wanted = want.issues.map((w) => w.replaceAll('{file}', path));
    assert.equal(got.length, wanted.length, got.join('\n'));
    wanted.forEach((w, i) => assert.ok(got[i]!.startsWith(w), `expected\n  ${w}\ngot\n  ${got[i]}`));
  });
}

test("'stop' throws at the first bad row with its file and line; 'skip' reports all of them", async () => {
  const path = join(dir, 'duplicate-ids.jsonl');
  const stop = await drain(readDataset(path));
  assert.ok(stop.thrown instanceof DatasetError);
  assert.equal((stop.thrown as Error).message, `${path}:3: duplicate id '1', first seen on line 1`);
  assert.deepEqual(stop.ids, ['1', '2'], 'rows before the bad one were read');
  // Warnings never stop reading.
  const crlf = await drain(readDataset(join(dir, 'crlf.jsonl')));
  assert.equal(crlf.thrown, null);
  assert.deepEqual(crlf.ids, ['1', '2', '3']);
});

test('a 50 MB line is reported by size and skipped without stopping the rows after it', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'hsstar-bad-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const path = join(tmp, 'huge.jsonl');
  const fd = openSync(path, 'w');
  writeSync(fd, '{"id": 1, "problem": "What is 1+1?", "answer": "2"}\n{"id": 2, "problem": "');
  const block = Buffer.alloc(1 << 20, 'x');
  for (let i = 0; i < 50; i++) writeSync(fd, block);
  writeSync(fd, '", "answer": "4"}\n{"id": 3, "problem": "What is 3+3?", "answer": "6"}\n');
  closeSync(fd);
  const reader = readDataset(path, { badLines: 'skip' });
  const { ids } = await drain(reader);
  assert.deepEqual(ids, ['1', '3']);
  assert.deepEqual(shown(reader), [`error: ${path}:2: row is 50.0 MB, over the 16.0 MB limit for one row`]);
});

test('a JSON-array dataset streams its elements with their line numbers', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'hsstar-arr-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const path = join(tmp, 'set.json');
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ question: `Q${i} with "quotes", [brackets] and {braces}\n`, answer: i }));
  // Elements spread over lines so chunk borders fall inside strings and objects.
  writeFileLike(path, '[\n' + rows.join(',\n') + '\n]\n');
  const reader = readDataset(path);
  const problems = [];
  for await (const p of reader) problems.push(p);
  assert.equal(reader.format, 'json-array');
  assert.equal(problems.length, 3000);
  assert.equal(problems[2999]!.answer, '2999');
  assert.equal(problems[2999]!.question, 'Q2999 with "quotes", [brackets] and {braces}');
  assert.equal(problems[10]!.source.line, 11, 'array problems name their element');
});

function writeFileLike(path: string, text: string): void {
  const fd = openSync(path, 'w');
  writeSync(fd, text);
  closeSync(fd);
}

test('hsstar validate --skip-bad prints every bad row on stderr and exits 1', async () => {
  const path = join(dir, 'bad-json.jsonl');
  const { io, out, err } = captureIO();
  assert.equal(await main(['validate', path, '--skip-bad'], io), 1);
  assert.match(err(), new RegExp(`^error: ${path.replace(/[.]/g, '\\.')}:2: invalid JSON`, 'm'));
  assert.match(out(), /2 problems, 1 errors, 0 warnings \(3 rows\)/);
  const usage = captureIO();
  assert.equal(await main(['validate'], usage.io), 2);
  assert.match(usage.err(), /missing FILE/);
  assert.equal(await main(['validate', path, '--bogus'], captureIO().io), 2);
});
