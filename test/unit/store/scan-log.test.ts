import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, LineIssues, scanLog, unknownKind, type LineVerdict } from '../../../src/store/log/scan-log';
import { ProjectStore } from '../../../src/store/project';
import { repairRun } from '../../../src/store/repair';
import { settings, problems, response } from './fixtures/records';

const tempDir = () => mkdtempSync(join(tmpdir(), 'hsstar-scan-'));

/** Lines `{"n":…}` with a number are records; anything else is not; kinds it does not know are skipped. */
const numbers = (taken: number[]) =>
  jsonLines((v): LineVerdict => {
    const n = (v as { n?: unknown } | null)?.n;
    if (typeof n === 'number') return void taken.push(n);
    return unknownKind(v) ?? 'n: not a number';
  });

test('only a last line without its newline is torn (and cut with repair); a complete invalid line is kept, reported, and reading goes on', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.jsonl');
  const content = '{"n":1}\n{"n":"two"}\n{"n":3}\n{"n":"four"}\n';
  writeFileSync(file, content + '{"n":5');
  const taken: number[] = [];
  const r = await scanLog(file, numbers(taken), { repair: true });
  assert.deepEqual(taken, [1, 3]);
  assert.deepEqual(r.torn, { file, line: 5, bytes: 6 });
  assert.deepEqual(
    r.invalid.map((l) => [l.line, l.offset, l.bytes, l.reason]),
    [
      [2, 8, 12, 'n: not a number'],
      [4, 28, 13, 'n: not a number'],
    ],
  );
  assert.equal(r.invalidCount, 2);
  assert.equal(r.size, content.length);
  assert.equal(r.lines, 4);
  // The torn tail is cut; the complete invalid last line is not.
  assert.equal(readFileSync(file, 'utf8'), content);
});

test('lines of kinds this version does not know are skipped, counted once per log, and never invalid', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.jsonl');
  writeFileSync(file, '{"n":1}\n{"kind":"future","n":"x"}\n{"kind":"later"}\n{"kind":"future"}\n{"kind":"response"}\n');
  const r = await scanLog(file, numbers([]), { repair: false });
  assert.deepEqual(r.skipped, { file, count: 3, kinds: ['future', 'later'], firstLine: 2 });
  // A kind this version writes, where it does not belong or incomplete, is invalid, not skipped.
  assert.deepEqual(r.invalid.map((l) => l.line), [5]);
  assert.equal(unknownKind(['kind']), undefined);
  assert.equal(unknownKind({ kind: 7 }), undefined);
});

test('a damaged file of many invalid lines keeps the first few and counts them all; refusing names each place and hsstar repair', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.jsonl');
  writeFileSync(file, 'x\n'.repeat(10_000));
  const r = await scanLog(file, numbers([]), { repair: false });
  assert.equal(r.invalid.length, 20);
  assert.equal(r.invalidCount, 10_000);
  const issues = new LineIssues();
  issues.addLog(r);
  assert.throws(
    () => issues.refuse('/runs/a'),
    (err: Error) => err.message.startsWith(`${file}:1: not a valid record (`) && err.message.includes(`${file}:3: not a valid record`) && err.message.includes('and 9997 more invalid lines') && err.message.includes('`hsstar repair /runs/a`'),
  );
  new LineIssues().refuse('/runs/a'); // nothing to refuse
});

test('repair moves an invalid line out of the middle of responses.jsonl byte for byte; every other byte stays and the store opens', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const store = await ProjectStore.create(dir, settings(), problems(2));
  await store.appendResponses([response('p0', 0), response('p0', 1), response('p1', 0)]);
  await store.close();
  const path = join(dir, 'responses.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  const bad = lines[1]!.replace('"slot":1', '"slot":-1');
  const unknown = '{"kind":"response-v9","id":"p1:1"}';
  const torn = '{"kind":"resp';
  writeFileSync(path, [lines[0], bad, lines[2], unknown, ''].join('\n') + torn);
  await assert.rejects(ProjectStore.open(dir, { write: true }), /responses\.jsonl:2: not a valid record \(slot: .*hsstar repair/);

  const moved = await repairRun(dir, new Date('2026-02-03T04:05:06.789Z'));
  assert.deepEqual(moved, [{ log: 'responses.jsonl', lines: [2], quarantine: join('quarantine', 'responses.2026-02-03T04-05-06-789Z.jsonl'), note: join('quarantine', 'responses.2026-02-03T04-05-06-789Z.txt') }]);
  assert.equal(readFileSync(path, 'utf8'), [lines[0], lines[2], unknown, ''].join('\n') + torn, 'the unknown kind and the torn tail stay');
  assert.equal(readFileSync(join(dir, moved[0]!.quarantine), 'utf8'), bad + '\n');
  assert.match(readFileSync(join(dir, moved[0]!.note), 'utf8'), /^responses\.jsonl:2 \(byte \d+, \d+ bytes\): slot: /m);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  assert.deepEqual(await repairRun(dir), []);

  const { store: again, recovery } = await ProjectStore.open(dir, { write: true });
  t.after(() => again.close());
  assert.deepEqual(again.responsesOf('p0').map((r) => r.slot), [0]);
  assert.deepEqual(again.responsesOf('p1').map((r) => r.slot), [0]);
  assert.equal(recovery.torn.length, 1);
  assert.match(recovery.warnings[0]!, /responses\.jsonl:3: 1 record of a kind this version does not know \(response-v9\) skipped and kept/);
});

test('repair never writes through a link: a quarantine/ planted as a link to a folder outside is refused, nothing is written there, and the log is unchanged', async (t) => {
  if (process.platform === 'win32') return;
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const store = await ProjectStore.create(dir, settings(), problems(1));
  await store.appendResponses([response('p0', 0), response('p0', 1)]);
  await store.close();
  const path = join(dir, 'responses.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, [lines[0], lines[1]!.replace('"slot":1', '"slot":-1'), ''].join('\n'));
  const before = readFileSync(path);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  symlinkSync(outside, join(dir, 'quarantine'));
  await assert.rejects(repairRun(dir), /quarantine is a symbolic link; a run folder's folders must be real folders, not links/);
  assert.deepEqual(readdirSync(outside), []);
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('the note for a line of an unknown kind is given again when a checkpoint covers the line', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const store = await ProjectStore.create(dir, settings(), problems(2));
  await store.appendResponses([response('p0', 0)]);
  await store.close();
  writeFileSync(join(dir, 'scores.jsonl'), '{"kind":"verdict-v2","responseId":"p0:0"}\n', { flag: 'a' });
  // A writer reads the line (whole logs: the checkpoint is stale), appends, and leaves a checkpoint covering it.
  const writer = await ProjectStore.open(dir, { write: true });
  assert.equal(writer.recovery.warnings.length, 1);
  await writer.store.appendScores([{ kind: 'grade', responseId: 'p0:0', extracted: '1', method: 'box', correct: true, grader: 'g' }]);
  await writer.store.close();
  const reader = await ProjectStore.open(dir, { write: false });
  t.after(() => reader.store.close());
  assert.deepEqual(reader.store.checkpointUse, { used: true, bytesAfter: 0 });
  assert.deepEqual(reader.recovery.warnings, writer.recovery.warnings);
});
