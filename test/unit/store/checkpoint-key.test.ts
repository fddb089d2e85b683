import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint } from '../../../src/store/log/checkpoint';
import { CHECKPOINT_KEY_FILE, checkpointKey, checkpointTrust } from '../../../src/store/log/checkpoint-key';
import { encodeIndex, indexInto } from '../../../src/store/log/index-columns';
import { settings, problems, response } from './fixtures/records';

const tempDir = () => mkdtempSync(join(tmpdir(), 'hsstar-ckey-'));

test('the checkpoint key is made on first use in the config folder of HSSTAR_CONFIG_DIR, private to the user, and then read back', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const env = { HSSTAR_CONFIG_DIR: join(root, 'config') };
  const first = await checkpointKey(env);
  assert.ok('key' in first);
  assert.equal(first.key.length, 32);
  const file = join(root, 'config', CHECKPOINT_KEY_FILE);
  assert.equal(readFileSync(file, 'utf8'), first.key.toString('hex') + '\n');
  if (process.platform !== 'win32') {
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, 'config')).mode & 0o777, 0o700);
  }
  const again = await checkpointKey(env);
  assert.ok('key' in again && again.key.equals(first.key));
});

test('a key file others can read, or one that is not a key, gives no key (checkpoints are then neither written nor trusted)', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = join(root, CHECKPOINT_KEY_FILE);
  writeFileSync(file, 'not a key\n', { mode: 0o600 });
  assert.deepEqual(await checkpointKey({ HSSTAR_CONFIG_DIR: root }), { unavailable: `${file}: not a checkpoint key; delete it and a new one is made` });
  if (process.platform === 'win32') return;
  const other = join(root, 'open');
  mkdirSync(other);
  writeFileSync(join(other, CHECKPOINT_KEY_FILE), randomBytes(32).toString('hex') + '\n');
  chmodSync(join(other, CHECKPOINT_KEY_FILE), 0o644);
  assert.match(JSON.stringify(await checkpointKey({ HSSTAR_CONFIG_DIR: other })), /readable by other users; make it private \(chmod 600\)/);
});

test('a link planted at the key file is never followed: no key is read through it, nothing is written through it, and its target is unchanged', async (t) => {
  if (process.platform === 'win32') return;
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const config = join(root, 'config');
  mkdirSync(config, { mode: 0o700 });
  // A real key elsewhere, readable only by the user: following the link would take it as this user's key.
  const elsewhere = join(root, 'elsewhere.key');
  writeFileSync(elsewhere, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const before = readFileSync(elsewhere);
  symlinkSync(elsewhere, join(config, CHECKPOINT_KEY_FILE));
  const got = await checkpointKey({ HSSTAR_CONFIG_DIR: config });
  assert.ok('unavailable' in got, JSON.stringify(got));
  assert.match(got.unavailable, /checkpoint\.key is a symbolic link/);
  // A dangling link: nothing is made at its target.
  const dangling = join(root, 'config2');
  mkdirSync(dangling, { mode: 0o700 });
  symlinkSync(join(root, 'made-through-link'), join(dangling, CHECKPOINT_KEY_FILE));
  assert.ok('unavailable' in (await checkpointKey({ HSSTAR_CONFIG_DIR: dangling })));
  assert.equal(existsSync(join(root, 'made-through-link')), false);
  assert.deepEqual(readFileSync(elsewhere), before);
  assert.deepEqual(readdirSync(dangling), [CHECKPOINT_KEY_FILE]);
});

/** A closed run with a checkpoint, and the trust its own user has in it. */
async function run(root: string, count = 5) {
  const dir = join(root, 'run');
  const store = await ProjectStore.create(dir, settings(), problems(count));
  await store.appendResponses([0, 1, 2, 3, 4].map((p) => response(`p${p}`, 0, 10 + p)));
  await store.close();
  const trust = await checkpointTrust(dir);
  assert.ok('key' in trust);
  return { dir, path: join(dir, CHECKPOINT_FILE), trust };
}

/** Rewrites the run's checkpoint with problem p0's question changed, signed with `trust`. */
async function rewrite(dir: string, path: string, trust: Parameters<typeof writeCheckpoint>[2]) {
  const read = await readCheckpoint(path, (n) => join(dir, n), ['problems.jsonl'], indexInto);
  assert.ok('value' in read, JSON.stringify(read));
  const index = read.value()!;
  const changed = index.problems.map((p) => (p.id === 'p0' ? { ...p, question: 'CHANGED' } : p));
  await writeCheckpoint(path, { logs: read.logs, ...encodeIndex(index.table, changed, index.failures) }, trust);
}

const opened = async (dir: string) => {
  const { store } = await ProjectStore.open(dir, { write: false });
  await store.close();
  return { use: store.checkpointUse, question: store.problems()[0]!.question };
};

test('a checkpoint is trusted only with a MAC made with this user\'s key, for this host and folder', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { dir, path, trust } = await run(root);
  const question = (await opened(dir)).question;
  const genuine = readFileSync(path);
  const resign = async (as: typeof trust) => {
    writeFileSync(path, genuine);
    await rewrite(dir, path, as);
  };
  assert.deepEqual(await opened(dir), { use: { used: true, bytesAfter: 0 }, question });

  // Signed with another key (another user, another machine, or whoever sent the folder): ignored, the logs read.
  const signed = "not signed with this user's checkpoint key (written elsewhere, damaged or altered)";
  await resign({ ...trust, key: randomBytes(32) });
  assert.deepEqual(await opened(dir), { use: { used: false, reason: signed }, question });
  // Its MAC field patched to anything else: the same.
  await resign(trust);
  const bytes = readFileSync(path);
  bytes[20] = bytes[20]! ^ 1;
  writeFileSync(path, bytes);
  assert.deepEqual(await opened(dir), { use: { used: false, reason: signed }, question });
  // This user's key, but the origin of another folder or another host: ignored before its content is read.
  for (const origin of [{ ...trust.origin, dir: join(root, 'elsewhere') }, { ...trust.origin, host: `not-${hostname()}` }]) {
    await resign({ ...trust, origin });
    assert.deepEqual(await opened(dir), { use: { used: false, reason: 'written on another machine or for another folder' }, question });
  }
  // The control: the same rewrite signed as this user for this folder is taken (a cache this user wrote is trusted as it is).
  await resign(trust);
  assert.deepEqual(await opened(dir), { use: { used: true, bytesAfter: 0 }, question: 'CHANGED' });
});

test('without a key (the config folder cannot be written) no checkpoint is written and none is trusted', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { dir, path } = await run(root);
  const before = readFileSync(path);
  await writeCheckpoint(path, { logs: {}, head: {}, segments: [] }, { unavailable: 'no config folder' });
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(await readCheckpoint(path, (n) => join(dir, n), [], indexInto, { unavailable: 'no config folder' }), { ignored: 'no checkpoint key (no config folder)' });
});

test('problems.jsonl changed in the middle, its length and edges kept, makes the checkpoint stale (hashed whole); so does a log replaced by another file', async (t) => {
  const root = tempDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { dir } = await run(root, 400);
  const problemsFile = join(dir, 'problems.jsonl');
  const original = readFileSync(problemsFile);
  assert.ok(original.length > 4 * 8192, 'the change lies between the hashed edges');
  const text = original.toString('utf8');
  const at = text.indexOf('"p200"');
  writeFileSync(problemsFile, text.slice(0, at) + '"p999"' + text.slice(at + 6));
  assert.deepEqual((await opened(dir)).use, { used: false, reason: 'stale: problems.jsonl changed' });
  writeFileSync(problemsFile, original);
  // The same bytes in a new file (as git writes a file it checks out): another log, not the one the checkpoint saw.
  const responses = join(dir, 'responses.jsonl');
  writeFileSync(`${responses}.new`, readFileSync(responses));
  renameSync(`${responses}.new`, responses);
  assert.deepEqual((await opened(dir)).use, { used: false, reason: 'stale: responses.jsonl changed' });
});
