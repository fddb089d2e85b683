import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { settings, problems, response } from './fixtures/records';
import { bundleFixture } from './fixtures/bundle';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hsstar-store-'));
}

test('create writes the folder; open reads back problems, responses by slot, scores and events', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const store = await ProjectStore.create(dir, settings(), problems(4));
  assert.deepEqual(readdirSync(dir).sort(), ['.gitattributes', '.gitignore', '.lock', 'events', 'exports', 'hsstar.json', 'problems.jsonl', 'responses.jsonl', 'scores.jsonl']);
  assert.equal(JSON.parse(readFileSync(join(dir, 'hsstar.json'), 'utf8')).formatVersion, 1);
  await store.appendResponses([response('p1', 2), response('p1', 0), response('p2', 0)]);
  await store.appendResponses([response('p1', 1)]);
  await store.appendScores([
    { kind: 'grade', responseId: 'p1:0', extracted: '42', method: 'box', correct: true, grader: 'g1' },
    { kind: 'prm', responseId: 'p1:0', scores: [0.9, 0.4], model: 'prm' },
    { kind: 'reward', responseId: 'p1:0', score: 1.5, model: 'rm' },
    { kind: 'failure', endpoint: 'policy', targets: ['p3:0'], url: 'http://127.0.0.1:1/v1', status: 500, message: 'boom', at: '2026-01-01T00:00:00.000Z' },
    { kind: 'grade', responseId: 'p1:0', extracted: '41', method: 'box', correct: false, grader: 'g2' },
  ]);
  await store.appendEvents([{ type: 'reviewed', id: 'e1', at: '2026-01-01T00:00:00.000Z', author: 'ann', problemId: 'p1', reviewed: true }]);
  await store.close();
  assert.equal(existsSync(join(dir, '.lock')), false, 'close releases the lock');

  const { store: s, recovery } = await ProjectStore.open(dir, { write: false });
  t.after(() => s.close());
  assert.deepEqual(recovery, { torn: [], warnings: [], invalid: [] });
  assert.deepEqual(s.problems().map((p) => p.id), ['p0', 'p1', 'p2', 'p3']);
  assert.deepEqual(s.responsesOf('p1').map((r) => r.slot), [0, 1, 2]);
  assert.deepEqual(s.responsesOf('p1')[1], { kind: 'response', ...response('p1', 1) });
  assert.equal([...s.responses()].length, 4);
  assert.equal(s.grade('p1:0')?.grader, 'g2', 'the latest grade wins');
  assert.deepEqual(s.prm('p1:0')?.scores, [0.9, 0.4]);
  assert.equal(s.reward('p1:0')?.score, 1.5);
  assert.equal(s.failures().length, 1);
  assert.equal(s.events()[0]?.type, 'reviewed');
  await assert.rejects(s.appendResponses([response('p3', 0)]), /opened read-only/);
});

test('appends are idempotent by id and concurrent appends are gathered into one log', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await ProjectStore.create(root, settings(), problems(2));
  t.after(() => store.close());
  await Promise.all([
    store.appendResponses([response('p0', 0), response('p0', 1)]),
    store.appendResponses([response('p0', 1), response('p1', 0)]),
    store.appendResponses([response('p0', 0)]),
  ]);
  await store.appendResponses([response('p1', 0)]);
  assert.equal(store.responseCount, 3);
  const lines = readFileSync(join(root, 'responses.jsonl'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l).id).sort(), ['p0:0', 'p0:1', 'p1:0']);
});

test('create refuses a folder that already holds a project, and removes its files when the problems fail', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await (await ProjectStore.create(root, settings(), problems(1))).close();
  await assert.rejects(ProjectStore.create(root, settings(), problems(1)), /already holds a project \(hsstar\.json/);
  const other = join(root, 'other');
  async function* failing() {
    yield problems(1)[0]!;
    throw new Error('dataset broke');
  }
  await assert.rejects(ProjectStore.create(other, settings(), failing()), /dataset broke/);
  assert.deepEqual(readdirSync(other), []);
});

test('a torn last line is dropped and reported; a write open cuts it so appends stay clean', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await ProjectStore.create(root, settings(), problems(1));
  await store.appendResponses([response('p0', 0), response('p0', 1)]);
  await store.close();
  const path = join(root, 'responses.jsonl');
  const full = readFileSync(path);
  const half = JSON.stringify({ kind: 'response', ...response('p0', 2) }).slice(0, 70);
  appendFileSync(path, half);

  const ro = await ProjectStore.open(root, { write: false });
  assert.deepEqual(ro.recovery.torn, [{ file: path, line: 3, bytes: 70 }]);
  assert.equal(ro.store.responseCount, 2);
  await ro.store.close();
  assert.equal(readFileSync(path).length, full.length + 70, 'a read-only open changes nothing');

  const rw = await ProjectStore.open(root, { write: true });
  assert.equal(rw.recovery.torn.length, 1);
  await rw.store.appendResponses([response('p0', 2)]);
  await rw.store.close();
  const again = await ProjectStore.open(root, { write: false });
  t.after(() => again.store.close());
  assert.deepEqual(again.recovery.torn, []);
  assert.deepEqual(again.store.responsesOf('p0').map((r) => r.slot), [0, 1, 2]);
});

test('a damaged line before the end stops a writer with file and line and the repair command, not skipped', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await ProjectStore.create(root, settings(), problems(1));
  await store.appendResponses([response('p0', 0), response('p0', 1), response('p0', 2)]);
  await store.close();
  const path = join(root, 'responses.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[1] = lines[1]!.replace('"slot":1', '"slot":"one"');
  writeFileSync(path, lines.join('\n'));
  await assert.rejects(ProjectStore.open(root, { write: true }), (err: Error) => {
    assert.match(err.message, new RegExp(`${path.replace(/[.]/g, '\\.')}:2: not a valid record \\(slot: .*hsstar repair ${root.replace(/[.]/g, '\\.')}`));
    return true;
  });
  assert.equal(existsSync(join(root, '.lock')), false, 'a failed open leaves no lock behind');
});

test('a second writer is refused with the PID of the process holding the lock', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await (await ProjectStore.create(join(root, 'p'), settings(), problems(1))).close();
  const script = await bundleFixture('holder', root);
  const child = spawn(process.execPath, [script, join(root, 'p')], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.kill());
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await assert.rejects(ProjectStore.open(join(root, 'p'), { write: true }), new RegExp(`open for writing by process ${child.pid} `));
  // Readers are never locked out.
  const ro = await ProjectStore.open(join(root, 'p'), { write: false });
  await ro.store.close();
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  const rw = await ProjectStore.open(join(root, 'p'), { write: true });
  assert.deepEqual(rw.recovery.warnings, [], 'a cleanly released lock needs no takeover');
  await rw.store.close();
});

test('a stale lock of a dead process is taken over with a warning', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await (await ProjectStore.create(root, settings(), problems(1))).close();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const deadPid = Number(String(dead.stdout));
  writeFileSync(join(root, '.lock'), JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00Z' }));
  const { store, recovery } = await ProjectStore.open(root, { write: true });
  assert.equal(recovery.warnings.length, 1);
  assert.match(recovery.warnings[0]!, new RegExp(`took over the lock left by process ${deadPid} \\(no longer running\\)`));
  assert.equal(JSON.parse(readFileSync(join(root, '.lock'), 'utf8')).pid, process.pid);
  await store.close();
});

test('settings are replaced atomically and survive a reopen', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await ProjectStore.create(root, settings(), problems(1));
  await store.updateSettings({ ...settings(), thresholds: { tauLow: 0.25, tauHigh: 0.5 } });
  await store.close();
  assert.deepEqual(readdirSync(root).filter((f) => f.endsWith('.tmp')), []);
  const { store: s } = await ProjectStore.open(root, { write: false });
  t.after(() => s.close());
  assert.deepEqual(s.settings.thresholds, { tauLow: 0.25, tauHigh: 0.5 });
  await assert.rejects(ProjectStore.open(join(root, 'nope'), { write: false }), /not a project folder/);
});

test('responses read back whatever their key order, and texts ending in quotes or backslashes survive', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = await ProjectStore.create(root, settings(), problems(1));
  const tricky = ['ends with a quote "', 'ends with a backslash \\', 'has ,"text":" inside', 'ends \\"}'];
  await store.appendResponses(tricky.map((text, slot) => ({ ...response('p0', slot), text })));
  await store.close();
  // A line written by another tool, text first and an extra field: parsed whole.
  const { text: _unused, ...fields } = response('p0', 9);
  appendFileSync(join(root, 'responses.jsonl'), JSON.stringify({ text: 'written elsewhere', kind: 'response', ...fields, extra: 1 }) + '\n');
  const { store: s } = await ProjectStore.open(root, { write: false });
  t.after(() => s.close());
  assert.deepEqual(s.responsesOf('p0').map((r) => r.text), [...tricky, 'written elsewhere']);
  assert.equal(s.responsesOf('p0')[4]!.slot, 9);
});
