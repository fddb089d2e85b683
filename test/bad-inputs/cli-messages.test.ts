/**
 * What the built CLI (`dist/cli.js`, a real child process) says when its surroundings fail:
 * the reader of its output goes away, the disk is full, a path cannot be written, a file
 * would be replaced, a name the user chose happens to be a property of every object. One
 * line, the path and the cause, never a stack trace, and nothing already written is lost.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(new URL('.', import.meta.url).pathname, '../..');
const CLI = join(REPO, 'dist/cli.js');
let root: string;
/** A finished demo run: it has pairs to export. */
let demo: string;
/** A fresh project whose RDE requests are all pending; its policy URL is a closed port. */
let fresh: string;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `closeStdout` destroys the read end of its stdout: at once, or after the first chunk. */
function cli(args: string[], o: { closeStdout?: 'at-once' | 'after-first-chunk'; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: root, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  if (o.closeStdout === 'at-once') child.stdout.destroy();
  else
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      if (o.closeStdout === 'after-first-chunk') child.stdout.destroy();
    });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** Exactly one line on stderr: `hsstar <command>: <text>`, and no stack frame. */
function oneLine(r: Result, command: string, text: string): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, `hsstar ${command}: ${text}\n`);
}

const tmpFilesIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

before(() => {
  execFileSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { cwd: REPO, stdio: 'inherit' });
  root = mkdtempSync(join(tmpdir(), 'hsstar-cli-messages-'));
  demo = join(root, 'demo');
  execFileSync(process.execPath, [CLI, 'demo', demo], { cwd: root, env: { PATH: process.env.PATH, HOME: root }, stdio: 'ignore' });
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `q${i}`, question: `What is ${i} + 1?`, answer: String(i + 1) }) + '\n');
  writeFileSync(join(root, 'big.jsonl'), rows.join(''));
  writeFileSync(join(root, 'small.jsonl'), rows.slice(0, 3).join(''));
  fresh = join(root, 'fresh');
  execFileSync(process.execPath, [CLI, 'init', fresh, '--dataset', join(root, 'small.jsonl'), '--policy-url', 'http://127.0.0.1:9/v1'], { cwd: root, env: { PATH: process.env.PATH, HOME: root } });
});

after(() => rmSync(root, { recursive: true, force: true }));

// ---- a closed output pipe: quiet, status 141 (128 + SIGPIPE), for every command

test('validate whose reader goes away after the first lines stops quietly with status 141', async () => {
  const r = await cli(['validate', join(root, 'big.jsonl')], { closeStdout: 'after-first-chunk' });
  assert.equal(r.stderr, '');
  assert.equal(r.code, 141);
});

test('`validate | head -1` in a shell: one line out, nothing on stderr, 141 under pipefail', () => {
  const script = `set -o pipefail; "${process.execPath}" "${CLI}" validate big.jsonl 2>err.txt | head -1`;
  let status = 0;
  let out = '';
  try {
    out = execFileSync('bash', ['-c', script], { cwd: root, encoding: 'utf8' });
  } catch (err) {
    status = (err as { status: number }).status;
    out = (err as { stdout: string }).stdout;
  }
  assert.equal(out, 'q0\tWhat is 0 + 1?\t=> 1\n');
  assert.equal(readFileSync(join(root, 'err.txt'), 'utf8'), '');
  assert.equal(status, 141);
});

test('export and init with their output already closed finish their files and exit 141 without a word', async () => {
  const out = join(root, 'closed', 'pairs.jsonl');
  const exported = await cli(['export', demo, '--format', 'openrlhf', '--out', out], { closeStdout: 'at-once' });
  assert.equal(exported.stderr, '');
  assert.equal(exported.code, 141);
  assert.ok(readFileSync(out, 'utf8').length > 0 && existsSync(join(root, 'closed', 'pairs.manifest.json')), 'the export was written whole');

  const dir = join(root, 'closed-init');
  const init = await cli(['init', dir, '--dataset', join(root, 'small.jsonl')], { closeStdout: 'at-once' });
  assert.equal(init.stderr, '');
  assert.equal(init.code, 141);
  assert.ok(existsSync(join(dir, 'hsstar.json')), 'the project was created');
});

// ---- a full device and other file-system errors: one line with the path and the cause

test('export --out /dev/full: one line naming /dev/full and ENOSPC, the device left as it is', async () => {
  const r = await cli(['export', demo, '--format', 'openrlhf', '--out', '/dev/full']);
  oneLine(r, 'export', '/dev/full: no space left on the device (ENOSPC)');
  assert.deepEqual(readdirSync('/dev').filter((n) => n.startsWith('full.')), [], 'no manifest or temporary file beside the device');
});

test('batch export --out /dev/full: one line naming /dev/full and ENOSPC', async () => {
  const r = await cli(['batch', 'export', fresh, '--stage', 'rde', '--out', '/dev/full']);
  oneLine(r, 'batch', '/dev/full: no space left on the device (ENOSPC)');
});

test('an export that outgrows what the file system allows (ulimit -f): one line, no partial file, no temporary file', () => {
  const dir = join(root, 'limited');
  mkdirSync(dir);
  const out = join(dir, 'pairs.jsonl');
  let stderr = '';
  let status = 0;
  try {
    execFileSync('bash', ['-c', `ulimit -f 4; exec "${process.execPath}" "${CLI}" export "${demo}" --format openrlhf --out "${out}"`], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    status = (err as { status: number }).status;
    stderr = (err as { stderr: string }).stderr;
  }
  assert.equal(status, 1);
  assert.equal(stderr, `hsstar export: ${out}: file too large for the file system (EFBIG)\n`);
  assert.deepEqual(readdirSync(dir), [], 'neither the file nor its temporary file is left');
});

test('paths that cannot be written: one line each with the path and the cause', async () => {
  const long = join(root, `${'n'.repeat(300)}.jsonl`);
  oneLine(await cli(['export', demo, '--format', 'openrlhf', '--out', long]), 'export', `${long}: file name too long (ENAMETOOLONG)`);

  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  oneLine(await cli(['export', demo, '--format', 'openrlhf', '--out', join(file, 'pairs.jsonl')]), 'export', `${file}: is a file, not a folder (ENOTDIR)`);

  const folder = join(root, 'a-folder');
  mkdirSync(folder);
  oneLine(await cli(['export', demo, '--format', 'openrlhf', '--out', folder, '--force']), 'export', `${folder}: is a folder, not a file (EISDIR)`);
  assert.deepEqual(tmpFilesIn(root), [], 'the temporary file is removed');
});

// ---- no silent overwrites

test('batch wait refuses to replace the x.output.jsonl that vllm run-batch wrote, before asking the server anything', async () => {
  const input = join(root, 'rde.jsonl');
  const output = join(root, 'rde.output.jsonl');
  writeFileSync(output, 'the output vllm run-batch wrote\n');
  const r = await cli(['batch', 'wait', fresh, 'batch_1', '--out', input]);
  oneLine(r, 'batch', `${output}: already exists; pass --force to replace it`);
  assert.equal(readFileSync(output, 'utf8'), 'the output vllm run-batch wrote\n');
  assert.ok(!existsSync(join(fresh, '.lock')), 'the lock is released');
});

test('llama-factory pairs never go to dataset_info.json, the registry the export merges into, with or without --force', async () => {
  const empty = join(root, 'lf-empty');
  mkdirSync(empty);
  const target = join(empty, 'dataset_info.json');
  const refused = await cli(['export', demo, '--format', 'llama-factory', '--out', target]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^hsstar export: .*dataset_info\.json: is the LLaMA-Factory registry .*--force.*\n$/);
  assert.deepEqual(readdirSync(empty), [], 'nothing written');

  const registry = join(root, 'lf-registry');
  mkdirSync(registry);
  const info = JSON.stringify({ mine: { file_name: 'mine.json' } }, null, 2);
  writeFileSync(join(registry, 'dataset_info.json'), info);
  const forced = await cli(['export', demo, '--format', 'llama-factory', '--out', join(registry, 'dataset_info.json'), '--force']);
  assert.equal(forced.code, 1);
  assert.equal(readFileSync(join(registry, 'dataset_info.json'), 'utf8'), info, 'the registry is unchanged');
  assert.deepEqual(readdirSync(registry), ['dataset_info.json']);
});

// ---- names are own properties only

test('--name constructor is a dataset name like any other, not a clash with Object.prototype', async () => {
  const dir = join(root, 'lf-constructor');
  const r = await cli(['export', demo, '--format', 'llama-factory', '--out', join(dir, 'pairs.jsonl'), '--name', 'constructor']);
  assert.equal(r.code, 0, r.stderr);
  const info = new Map(Object.entries(JSON.parse(readFileSync(join(dir, 'dataset_info.json'), 'utf8')) as Record<string, { file_name: string }>));
  assert.equal(info.get('constructor')?.file_name, 'pairs.jsonl');
});

test('an API key variable named constructor is not set just because every object has that property', async () => {
  const dir = join(root, 'key-constructor');
  const init = await cli(['init', dir, '--dataset', join(root, 'small.jsonl'), '--policy-url', 'http://127.0.0.1:9/v1', '--api-key-env', 'constructor']);
  assert.equal(init.code, 0, init.stderr);
  const r = await cli(['run', dir]);
  oneLine(r, 'run', 'policy.apiKeyEnv: environment variable constructor is not set');
});
