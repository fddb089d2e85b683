import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotRegularFile, openRegular, readBounded, readBoundedSync, writeFileAtomic } from '../../../src/store/folder/index';
import { UserError } from '../../../src/core/errors';
import { RunSettings } from '../../../src/core/schema/index';
import { ProjectStore } from '../../../src/store/project';

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-run-folder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('an atomic replace never writes through a link planted at the temporary names the store used to use', async (t) => {
  const dir = scratch(t);
  const outside = join(dir, 'outside.txt');
  writeFileSync(outside, 'keep me\n');
  const run = join(dir, 'run');
  mkdirSync(run);
  const target = join(run, 'hsstar.json');
  // The names an attacker could predict: `<file>.<pid>.tmp` for every pid a process may get.
  const pids = new Set([process.pid, ...Array.from({ length: 4096 }, (_, i) => i + 1)]);
  for (const pid of pids) symlinkSync(outside, `${target}.${pid}.tmp`);
  await writeFileAtomic(target, '{"a":1}\n');
  assert.equal(readFileSync(outside, 'utf8'), 'keep me\n', 'the file outside is unchanged');
  assert.equal(readFileSync(target, 'utf8'), '{"a":1}\n');
  assert.ok(lstatSync(target).isFile(), 'the target is a regular file, not a moved link');
  const temporaries = readdirSync(run).filter((n) => n.endsWith('.tmp') && !lstatSync(join(run, n)).isSymbolicLink());
  assert.deepEqual(temporaries, [], 'no temporary file is left behind');
});

test('a replace over a link or a folder is refused, naming the path and what is there', async (t) => {
  const dir = scratch(t);
  const outside = join(dir, 'outside.txt');
  writeFileSync(outside, 'keep me\n');
  symlinkSync(outside, join(dir, 'linked.json'));
  mkdirSync(join(dir, 'folder.json'));
  await assert.rejects(writeFileAtomic(join(dir, 'linked.json'), 'x'), (err: unknown) => err instanceof NotRegularFile && err.message === `${join(dir, 'linked.json')} is a symbolic link; a run folder's files must be regular files`);
  await assert.rejects(writeFileAtomic(join(dir, 'folder.json'), 'x'), (err: unknown) => err instanceof NotRegularFile && err.kind === 'folder');
  assert.equal(readFileSync(outside, 'utf8'), 'keep me\n');
});

test('opening refuses links, dangling links, folders, FIFOs and devices at once, and reads only regular files', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'plain.txt'), 'plain\n');
  symlinkSync(join(dir, 'plain.txt'), join(dir, 'link.txt'));
  symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'dangling.txt'));
  mkdirSync(join(dir, 'folder.txt'));
  execFileSync('mkfifo', [join(dir, 'fifo.txt')]);
  const kinds: [string, string, 'read' | 'append'][] = [
    ['link.txt', 'symbolic link', 'read'],
    ['dangling.txt', 'symbolic link', 'append'],
    ['folder.txt', 'folder', 'read'],
    ['fifo.txt', 'FIFO (named pipe)', 'read'],
  ];
  for (const [name, kind, how] of kinds) {
    await assert.rejects(openRegular(join(dir, name), how), (err: unknown) => err instanceof NotRegularFile && err.kind === kind, name);
  }
  assert.equal(readFileSync(join(dir, 'plain.txt'), 'utf8'), 'plain\n');
  assert.equal(readdirSync(dir).includes('nowhere.txt'), false, 'the dangling link made nothing');
  // A link the user chose (a dataset) is followed, but a device is refused all the same.
  assert.equal((await readBounded(join(dir, 'link.txt'), { maxBytes: 100, follow: true }))?.toString(), 'plain\n');
  await assert.rejects(readBounded('/dev/zero', { maxBytes: 100, follow: true }), (err: unknown) => err instanceof NotRegularFile && err.kind === 'character device');
});

test('a bounded read refuses a file over its cap, or cuts it, before reading more', (t) => {
  const dir = scratch(t);
  const file = join(dir, 'big.md');
  writeFileSync(file, 'x'.repeat(5000));
  assert.throws(() => readBoundedSync(file, { maxBytes: 4096 }), (err: unknown) => err instanceof UserError && err.message === `${file} is 5000 bytes; at most 4096 are read from this file`);
  assert.equal(readBoundedSync(file, { maxBytes: 4096, over: 'cut' })?.length, 4096);
  assert.equal(readBoundedSync(join(dir, 'absent.md'), { maxBytes: 10 }), undefined);
});

test('a run folder the user reaches through a link of their own (a run on another disk) is created and opened', async (t) => {
  const dir = scratch(t);
  mkdirSync(join(dir, 'disk'));
  symlinkSync(join(dir, 'disk'), join(dir, 'run'));
  const settings = RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'x.jsonl', sha256: 'd'.repeat(64) },
    policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'p', nPerRequest: 1 },
    budget: { N: 4, presample: 2 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
  });
  const made = await ProjectStore.create(join(dir, 'run'), settings, [{ id: 'a', question: 'What is 1+1?', answer: '2', source: { file: 'x.jsonl', line: 1 } }]);
  await made.close();
  const { store } = await ProjectStore.open(join(dir, 'run'), { write: true });
  t.after(() => store.close());
  assert.deepEqual(store.problems().map((p) => p.id), ['a']);
  assert.ok(readdirSync(join(dir, 'disk')).includes('hsstar.json'), 'the files are in the folder the link reaches');
});
