import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { authorFileName, readCuratorEvents } from '../../../src/store/curator-events';
import type { CuratorEvent } from '../../../src/core/schema/index';
import { settings, problems } from './fixtures/records';
import { bundleFixture } from './fixtures/bundle';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hsstar-events-'));
}

const review = (id: string, author: string, at: string, problemId = 'p1'): CuratorEvent => ({ type: 'reviewed', id, at, author, problemId, reviewed: true });

test('curator events are written while another store holds the sampling lock, one file per author', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const sampler = await ProjectStore.create(dir, settings(), problems(4));
  t.after(() => sampler.close());
  assert.equal(sampler.writable, true);

  const { store: reviewer } = await ProjectStore.open(dir, { write: false });
  assert.equal(reviewer.writable, false, 'the reviewer does not hold the sampling lock');
  await reviewer.appendEvents([review('e1', 'ann', '2026-01-01T00:00:01.000Z'), review('e2', 'Bob Ü', '2026-01-01T00:00:00.000Z')]);
  await reviewer.close();

  assert.deepEqual(readdirSync(join(dir, 'events')).sort(), ['Bob%20%C3%9C.jsonl', 'ann.jsonl']);
  assert.equal(authorFileName('../x'), '%2E%2E%2Fx.jsonl', 'no author name leaves the events folder');
  assert.deepEqual(sampler.events(), [], 'the sampler has not read them yet');
  assert.equal(await sampler.reloadEvents(), true);
  assert.deepEqual(sampler.events().map((e) => e.id), ['e2', 'e1'], 'merged by time');
  assert.equal(await sampler.reloadEvents(), false, 'nothing new');
});

test('every reader merges by time, then author, then place in file, and reads the legacy events.jsonl too', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const s = await ProjectStore.create(dir, settings(), problems(4));
  await s.close();
  const line = (e: CuratorEvent) => JSON.stringify({ kind: 'event', event: e }) + '\n';
  const at = '2026-01-01T00:00:00.000Z';
  writeFileSync(join(dir, 'events.jsonl'), line(review('old-1', 'zed', at)) + line(review('old-0', 'ann', '2025-12-31T00:00:00.000Z')));
  writeFileSync(join(dir, 'events', 'bob.jsonl'), line(review('b2', 'bob', at)) + line(review('b1', 'bob', at)));
  writeFileSync(join(dir, 'events', 'ann.jsonl'), line(review('a1', 'ann', at)) + line(review('a-late', 'ann', '2026-01-02T00:00:00.000Z')));
  // A line both sides of a git merge kept, in another file: counted once.
  appendFileSync(join(dir, 'events', 'bob.jsonl'), line(review('a1', 'ann', at)));
  const expected = ['old-0', 'a1', 'b2', 'b1', 'old-1', 'a-late'];
  assert.deepEqual((await readCuratorEvents(dir)).events.map((e) => e.id), expected);
  const { store } = await ProjectStore.open(dir, { write: false });
  assert.deepEqual(store.events().map((e) => e.id), expected, 'the store reads through the same function');
  await store.close();
});

test('a torn last line of an author file is reported, ignored, and cut by that author\'s next append', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const s = await ProjectStore.create(dir, settings(), problems(4));
  await s.appendEvents([review('e1', 'ann', '2026-01-01T00:00:00.000Z')]);
  await s.close();
  const file = join(dir, 'events', 'ann.jsonl');
  const torn = '{"kind":"event","event":{"type":"rev';
  appendFileSync(file, torn);
  const { store, recovery } = await ProjectStore.open(dir, { write: false });
  assert.deepEqual(recovery.torn, [{ file, line: 2, bytes: torn.length }]);
  assert.deepEqual(store.events().map((e) => e.id), ['e1']);
  await store.appendEvents([review('e2', 'ann', '2026-01-01T00:00:01.000Z')]);
  await store.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.deepEqual(lines.map((l) => (l ? JSON.parse(l).event.id : '')), ['e1', 'e2', '']);
});

test('a bad line stops the open with file and line; an event of a type this version does not know is skipped', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const s = await ProjectStore.create(dir, settings(), problems(4));
  await s.close();
  const file = join(dir, 'events', 'ann.jsonl');
  const good = JSON.stringify({ kind: 'event', event: review('e1', 'ann', '2026-01-01T00:00:00.000Z') }) + '\n';
  writeFileSync(file, '{"kind":"event","event":{"type":"nope"}}\n' + '{"kind":"event","event":{"type":"reviewed"}}\n' + good);
  await assert.rejects(ProjectStore.open(dir, { write: false }), (err: Error) => err.message.includes(`${file}:2: not a valid record`) && err.message.includes('hsstar repair'));
  writeFileSync(file, '{"kind":"event","event":{"type":"nope"}}\n' + good);
  const { store, recovery } = await ProjectStore.open(dir, { write: false });
  t.after(() => store.close());
  assert.deepEqual(store.events().map((e) => e.id), ['e1']);
  assert.deepEqual(recovery.warnings.length, 1);
  assert.match(recovery.warnings[0]!, new RegExp(`^${file.replace(/[.]/g, '\\.')}:1: 1 record of a kind this version does not know \\(event nope\\) skipped and kept`));
});

test('four processes appending for two authors at once: every event lands once, every line parses', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const sampler = await ProjectStore.create(dir, settings(), problems(4));
  t.after(() => sampler.close());
  const script = await bundleFixture('event-appender', root);
  const children = [['ann', 'a'], ['ann', 'b'], ['bob', 'c'], ['bob', 'd']].map(([author, tag]) =>
    new Promise<void>((resolve, reject) => {
      // Same author in two processes: their appends share one file and its lock.
      const child = spawn(process.execPath, [script, dir, author!, tag!, '40'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
    }),
  );
  await Promise.all(children);
  for (const name of ['ann.jsonl', 'bob.jsonl']) {
    const lines = readFileSync(join(dir, 'events', name), 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 80);
    for (const l of lines) JSON.parse(l);
  }
  assert.deepEqual(readdirSync(join(dir, 'events')).sort(), ['ann.jsonl', 'bob.jsonl'], 'no lock left behind');
  await sampler.reloadEvents();
  assert.equal(sampler.events().length, 160);
  assert.deepEqual(new Set(sampler.events().map((e) => e.author)), new Set(['ann', 'bob']));
});

test('what a store holds after its own appends is what a fresh read of the folder gives, whoever else wrote meanwhile', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'run');
  const a = await ProjectStore.create(dir, settings(), problems(4));
  t.after(() => a.close());
  const { store: b } = await ProjectStore.open(dir, { write: false });
  t.after(() => b.close());
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const authors = ['ann', 'bob', 'cara'];
  // Few distinct times, so ties on time (and on time and author) are common.
  const when = () => `2026-01-01T00:00:0${rnd(4)}.000Z`;
  let id = 0;
  for (let step = 0; step < 120; step++) {
    const kind = rnd(4);
    const batch = Array.from({ length: 1 + rnd(3) }, () => review(`e${++id}`, authors[rnd(3)]!, when(), `p${rnd(4)}`));
    if (kind === 3) {
      // Someone else's process, straight to the file.
      const e = batch[0]!;
      appendFileSync(join(dir, 'events', `${e.author}.jsonl`), JSON.stringify({ kind: 'event', event: e }) + '\n');
      continue;
    }
    await (kind === 2 ? b : a).appendEvents(batch);
    const fresh = (await readCuratorEvents(dir)).events.map((e) => e.id);
    assert.deepEqual((kind === 2 ? b : a).events().map((e) => e.id), fresh, `step ${step}`);
  }
  await a.reloadEvents();
  await b.appendEvents([review(`e${++id}`, 'bob', when())]);
  assert.equal(await a.reloadEvents(), true, 'b wrote since a last read');
  assert.deepEqual(a.events().map((e) => e.id), (await readCuratorEvents(dir)).events.map((e) => e.id));
  assert.equal(await a.reloadEvents(), false, 'nothing new: nothing read');
});
