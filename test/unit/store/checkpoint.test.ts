import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { CHECKPOINT_FILE, CHECKPOINT_VERSION, readCheckpoint, writeCheckpoint } from '../../../src/store/log/checkpoint';
import { encodeIndex, indexInto, type IndexHead } from '../../../src/store/log/index-columns';
import type { ResponseTable } from '../../../src/store/log/response-table';
import { restateOf, stateOf } from '../../../src/pipeline/derive-from-store';
import type { ScoreLogRecord } from '../../../src/core/schema/index';
import { settings, problems, response } from './fixtures/records';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hsstar-checkpoint-'));
}

const grade = (id: string, correct: boolean, grader = 'g1'): ScoreLogRecord => ({ kind: 'grade', responseId: id, extracted: correct ? '42' : '41', method: 'box', correct, grader });

/** A closed run of 20 problems × 3 responses with grades, PRM scores, a failure and an event: its close wrote a checkpoint. */
async function closedRun(dir: string): Promise<void> {
  const store = await ProjectStore.create(dir, settings(), problems(20));
  for (let p = 0; p < 20; p++) {
    const rs = [2, 0, 1].map((slot) => response(`p${p}`, slot, 100 + p));
    await store.appendResponses(rs);
    await store.appendScores(rs.map((r) => grade(r.id, r.slot !== 1)));
    await store.appendScores([{ kind: 'prm', responseId: `p${p}:0`, scores: [0.5, 0.25 + p / 100], model: 'prm' }]);
  }
  await store.appendScores([grade('p3:0', false, 'g2'), { kind: 'failure', endpoint: 'prm', targets: ['p4:1'], url: 'http://127.0.0.1:1', status: 500, message: 'boom', at: '2026-01-01T00:00:00.000Z' }]);
  // A score whose response is not written yet (a hand-made import could do that): kept until it arrives.
  await store.appendScores([{ kind: 'prm', responseId: 'p5:9', scores: [0.3], model: 'prm' }]);
  await store.appendEvents([{ type: 'reviewed', id: 'e1', at: '2026-01-01T00:00:00.000Z', author: 'ann', problemId: 'p1', reviewed: true }]);
  await store.close();
}

/** Everything a reader of the store sees, texts included. */
function contents(s: ProjectStore) {
  return {
    problems: s.problems(),
    responses: s.problems().map((p) => s.responsesOf(p.id).map((r) => ({ ...r }))),
    grades: [...s.responses()].map((r) => s.grade(r.id) ?? null),
    prm: [...s.responses()].map((r) => s.prm(r.id) ?? null),
    failures: s.failures(),
    events: s.events(),
    counts: s.counts(),
  };
}

test('a run closed after appending has a checkpoint; opening from it reads no log byte and gives what reading the logs whole gives', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);
  assert.ok(existsSync(join(dir, CHECKPOINT_FILE)));
  const { store } = await ProjectStore.open(dir, { write: false });
  t.after(() => store.close());
  assert.deepEqual(store.checkpointUse, { used: true, bytesAfter: 0 });
  assert.deepEqual(contents(store), await openWhole(dir));
  assert.equal(store.grade('p3:0')?.grader, 'g2', 'the latest grade still wins');
});

test('what another writer appended after the checkpoint (then killed, never closed) is read from the logs, and only that', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);
  const before = statSync(join(dir, 'responses.jsonl')).size + statSync(join(dir, 'scores.jsonl')).size;
  const { store: writer } = await ProjectStore.open(dir, { write: true });
  const { store: early } = await ProjectStore.open(dir, { write: false });
  assert.deepEqual(early.prm('p5:9')?.scores, [0.3], 'from the checkpoint, before its response exists');
  await early.close();
  await writer.appendResponses([response('p5', 3), response('p0', 0), response('p5', 9)]); // p0:0 is a duplicate: ignored
  await writer.appendScores([grade('p5:3', true), grade('p0:0', false, 'g3')]);
  // A torn last line, as a SIGKILL in the middle of a write leaves it.
  appendFileSync(join(dir, 'responses.jsonl'), '{"kind":"response","id":"p5:4","probl');
  const after = statSync(join(dir, 'responses.jsonl')).size + statSync(join(dir, 'scores.jsonl')).size;

  const { store, recovery } = await ProjectStore.open(dir, { write: false });
  t.after(() => store.close());
  assert.equal(store.checkpointUse.used, true, JSON.stringify(store.checkpointUse));
  assert.equal((store.checkpointUse as { bytesAfter: number }).bytesAfter, after - before - '{"kind":"response","id":"p5:4","probl'.length);
  assert.equal(recovery.torn.length, 1, 'the torn line is reported as without a checkpoint');
  assert.deepEqual(store.responsesOf('p5').map((r) => r.slot), [0, 1, 2, 3, 9]);
  assert.deepEqual(store.prm('p5:9')?.scores, [0.3], 'the score written before its response applies once it arrives');
  assert.equal(store.counts().prm, 21);
  assert.equal(store.grade('p0:0')?.grader, 'g3');
  assert.equal(store.hasResponse('p5:4'), false);
  assert.deepEqual(contents(store), await openWhole(dir));
  await writer.close();
});

test('a damaged, foreign-version or stale checkpoint is ignored and the logs are read whole', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);
  const path = join(dir, CHECKPOINT_FILE);
  const good = readFileSync(path);
  const whole = await openWhole(dir);
  const openedWith = async (bytes: Buffer) => {
    writeFileSync(path, bytes);
    const { store } = await ProjectStore.open(dir, { write: false });
    try {
      assert.deepEqual(contents(store), whole);
      return store.checkpointUse;
    } finally {
      await store.close();
    }
  };
  const flipped = Buffer.from(good);
  flipped[flipped.length - 100]! ^= 0xff;
  assert.deepEqual(await openedWith(flipped), { used: false, reason: "not signed with this user's checkpoint key (written elsewhere, damaged or altered)" });
  assert.deepEqual(await openedWith(good.subarray(0, good.length - 10)), { used: false, reason: 'damaged' });
  const otherVersion = Buffer.from(good);
  otherVersion.writeUInt32LE(99, 8);
  assert.deepEqual(await openedWith(otherVersion), { used: false, reason: `version 99, this one reads ${CHECKPOINT_VERSION}` });
  assert.deepEqual(await openedWith(Buffer.from('not a checkpoint')), { used: false, reason: 'not a checkpoint' });
  // Well-formed files (signed with this user's key) whose content breaks the schemas: a crafted file is outside data too.
  const crafted = async (spoil: (head: IndexHead, table: ResponseTable) => void) => {
    writeFileSync(path, good);
    let head: IndexHead | undefined;
    const read = await readCheckpoint(path, (name) => join(dir, name), [], (h, left) => ((head = h as IndexHead), indexInto(h, left)));
    assert.ok('value' in read && head);
    const { table, problems, failures } = read.value()!;
    spoil(head, table);
    await writeCheckpoint(path, { logs: read.logs, head, segments: encodeIndex(table, problems, failures).segments });
    return openedWith(readFileSync(path));
  };
  assert.deepEqual(await crafted((_, t) => void (t.cols.slot[0] = -1)), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((h) => void (h.problems[0] = { id: 7 } as never)), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((_, t) => void (t.pool[0] = 7)), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((h, t) => void (t.cols.method[0] = h.strings.push('<script>') - 1)), { used: false, reason: 'damaged' });
  // Equal texts across two problems, and two rows with one id: what reading the logs never gives.
  assert.deepEqual(await crafted((_, t) => void (t.cols.twin[3] = 0)), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((_, t) => void ((t.cols.twin[1] = 0), (t.cols.twin[2] = 1))), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((h, t) => void (t.cols.oddId[3] = h.strings.push('p0:0') - 1)), { used: false, reason: 'damaged' });
  assert.deepEqual(await crafted((h) => void (h.rows += 1)), { used: false, reason: 'damaged' });
  // A head that asks for a billion rows: ignored before anything is allocated for them.
  assert.deepEqual(await crafted((h) => void (h.rows = 1e9)), { used: false, reason: 'damaged' });

  // The log rewritten (one line dropped near its end): the checkpoint no longer matches its bytes.
  const responses = join(dir, 'responses.jsonl');
  const lines = readFileSync(responses, 'utf8').split('\n');
  lines.splice(lines.length - 3, 1);
  writeFileSync(responses, lines.join('\n'));
  writeFileSync(path, good);
  const { store } = await ProjectStore.open(dir, { write: false });
  t.after(() => store.close());
  assert.deepEqual(store.checkpointUse, { used: false, reason: 'stale: responses.jsonl changed' });
  assert.equal(store.counts().responses, whole.counts.responses - 1);
});

test('opening for writing and closing without appending writes nothing', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);
  unlinkSync(join(dir, CHECKPOINT_FILE));
  const { store } = await ProjectStore.open(dir, { write: true });
  await store.close();
  assert.equal(existsSync(join(dir, CHECKPOINT_FILE)), false);
});

test('a read-only store follows another writer by reading only what it appended', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await closedRun(dir);
  const { store: writer } = await ProjectStore.open(dir, { write: true });
  t.after(() => writer.close());
  const { store: reader } = await ProjectStore.open(dir, { write: false });
  t.after(() => reader.close());
  assert.equal((await reader.catchUp()).result, 'unchanged');
  const before = stateOf(reader);

  await writer.appendResponses([response('p7', 3), response('p7', 4)]);
  await writer.appendScores([grade('p7:3', true)]);
  await writer.appendEvents([{ type: 'reviewed', id: 'e2', at: '2026-01-01T00:00:01.000Z', author: 'bob', problemId: 'p7', reviewed: true }]);
  const caught = await reader.catchUp();
  assert.equal(caught.result, 'updated');
  assert.deepEqual([...caught.problems], ['p7']);
  // Deriving only the touched problems again gives the read model a whole derivation gives.
  const followed = restateOf(reader, before, caught.problems);
  assert.deepEqual(followed, stateOf(reader));
  assert.deepEqual(reader.responsesOf('p7').map((r) => r.slot), [0, 1, 2, 3, 4]);
  assert.equal(reader.responsesOf('p7')[4]!.text, response('p7', 4).text);
  assert.equal(reader.grade('p7:3')?.correct, true);
  assert.deepEqual(reader.events().map((e) => e.id), ['e1', 'e2']);

  // A line the writer has not finished yet waits for the next catch-up.
  const line = JSON.stringify({ kind: 'grade', responseId: 'p7:4', extracted: '42', method: 'box', correct: true, grader: 'g1' }) + '\n';
  appendFileSync(join(dir, 'scores.jsonl'), line.slice(0, 20));
  assert.equal((await reader.catchUp()).result, 'unchanged');
  assert.equal(reader.grade('p7:4'), undefined);
  appendFileSync(join(dir, 'scores.jsonl'), line.slice(20));
  assert.deepEqual(await reader.catchUp(), { result: 'updated', problems: new Set(['p7']) });
  assert.equal(reader.grade('p7:4')?.correct, true);
  // A response graded again (p7:0 now wrong): the followed read model takes the new grade, the unchanged views are kept.
  const graded = restateOf(reader, followed, new Set(['p7']));
  // Views are built when first read (here, as when the inspector shows the problem), from the store as it is then.
  const seen = graded.byId.get('p7')!.responses;
  await writer.appendScores([grade('p7:0', false, 'g2')]);
  const regraded = await reader.catchUp();
  const again = restateOf(reader, graded, regraded.problems);
  assert.deepEqual(again, stateOf(reader));
  assert.equal(again.byId.get('p7')!.responses[0]!.grade?.correct, false);
  assert.equal(again.byId.get('p7')!.responses[1], seen[1], 'a view whose scores did not change is kept');
  assert.notEqual(again.byId.get('p7')!.responses[0], seen[0]);
  assert.deepEqual(contents(reader), await openWhole(dir));
});

/** The folder read whole (no checkpoint file is in the way; the writer may hold the lock). */
async function openWhole(dir: string) {
  const path = join(dir, CHECKPOINT_FILE);
  const saved = existsSync(path) ? readFileSync(path) : null;
  if (saved) unlinkSync(path);
  const { store } = await ProjectStore.open(dir, { write: false });
  const whole = contents(store);
  await store.close();
  if (saved) writeFileSync(path, saved);
  return whole;
}
