/**
 * A received run folder (it travels through git, so it may come from anyone) cannot make
 * the tool write outside it or hang. Each case copies a real folder made by `hsstar demo`,
 * plants one hostile entry (a link to a file outside, a dangling link, a link to
 * /dev/zero, a FIFO, a folder where a file belongs, a name too long), runs the built CLI
 * on it and checks: the message names the path and what it is, the exit code, no stack
 * trace, the file outside unchanged (or not made), the folder byte-for-byte unchanged,
 * and that the command ended within seconds.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { folderHash } from '../support/folder-hash';

const REPO = resolve(new URL('.', import.meta.url).pathname, '../..');
const CLI = join(REPO, 'dist/cli.js');
/** Long enough for a slow machine, far below "forever". */
const LIMIT_MS = 15_000;

let root = '';
let template = '';
let problemId = '';

/** Builds dist/cli.js unless it is newer than every source file. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(CLI) && statSync(CLI).mtimeMs > newest(join(REPO, 'src'))) return;
  execFileSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { cwd: REPO, stdio: 'inherit' });
}

before(() => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'hsstar-hostile-'));
  template = join(root, 'template');
  // Endpoint approvals (the demo's, made as it is created) go to the test's own config folder.
  const made = spawnSync(process.execPath, [CLI, 'demo', template], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HSSTAR_CONFIG_DIR: join(root, 'config') } });
  assert.equal(made.status, 0, made.stderr);
  problemId = (JSON.parse(readFileSync(join(template, 'problems.jsonl'), 'utf8').split('\n')[0]!) as { id: string }).id;
});

after(() => rmSync(root, { recursive: true, force: true }));


/** The bytes of a file outside the folder, or the names in a folder outside it. */
const fileHash = (p: string) =>
  !existsSync(p) ? 'absent' : createHash('sha256').update(lstatSync(p).isDirectory() ? readdirSync(p).join('\0') : readFileSync(p)).digest('hex');

interface Case {
  name: string;
  /** Plants the hostile entry in `dir`; `outside` is a file beside the folder that must stay as it is. */
  plant: (dir: string, outside: string) => void;
  argv: (dir: string) => string[];
  /** The message, with DIR standing for the folder's path. */
  expect: (dir: string) => string;
  /** 1 for a refusal; 0 where the entry is ignored (a checkpoint that is not a file). */
  code?: number;
  /** The file outside must not come into being (a dangling link's target). */
  outsideAbsent?: boolean;
}

const link = (target: string, at: string) => {
  rmSync(at, { force: true, recursive: true });
  symlinkSync(target, at);
};

const cases: Case[] = [
  {
    name: 'label through a link events/<author>.jsonl to a file outside',
    plant: (dir, outside) => link(outside, join(dir, 'events', 'bob.jsonl')),
    argv: (dir) => ['label', dir, problemId, '--as', 'inlier', '--reason', 'x', '--author', 'bob'],
    expect: (dir) => `${dir}/events/bob.jsonl is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'review through a dangling link events/<author>.jsonl',
    plant: (dir, outside) => {
      rmSync(outside);
      link(outside, join(dir, 'events', 'bob.jsonl'));
    },
    argv: (dir) => ['review', dir, problemId, '--author', 'bob'],
    expect: (dir) => `${dir}/events/bob.jsonl is a symbolic link; a run folder's files must be regular files`,
    outsideAbsent: true,
  },
  {
    name: 'run --stage pairs with scores.jsonl a link to a file outside',
    plant: (dir, outside) => {
      cpSync(join(dir, 'scores.jsonl'), outside);
      link(outside, join(dir, 'scores.jsonl'));
    },
    argv: (dir) => ['run', dir, '--stage', 'pairs'],
    expect: (dir) => `${dir}/scores.jsonl is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'opening for writing with responses.jsonl a link to a file outside with a torn last line',
    plant: (dir, outside) => {
      writeFileSync(outside, Buffer.concat([readFileSync(join(dir, 'responses.jsonl')), Buffer.from('{"kind":"respo')]));
      link(outside, join(dir, 'responses.jsonl'));
      // Without the checkpoint the open reads the whole log and repairs its torn tail.
      rmSync(join(dir, 'index.hsstar'));
    },
    argv: (dir) => ['run', dir, '--stage', 'pairs'],
    expect: (dir) => `${dir}/responses.jsonl is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'status with responses.jsonl a link to /dev/zero',
    plant: (dir) => link('/dev/zero', join(dir, 'responses.jsonl')),
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/responses.jsonl is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'status with hsstar.json a link to /dev/zero',
    plant: (dir) => link('/dev/zero', join(dir, 'hsstar.json')),
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/hsstar.json is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'status with a dataset path of /dev/zero',
    plant: (dir) => {
      const file = join(dir, 'hsstar.json');
      const s = JSON.parse(readFileSync(file, 'utf8')) as { dataset: { path: string } };
      s.dataset.path = '/dev/zero';
      writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
    },
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/hsstar.json: dataset.path: /dev/zero is a character device; only a regular file can be read here`,
  },
  {
    name: 'status with a FIFO as an events file',
    plant: (dir) => execFileSync('mkfifo', [join(dir, 'events', 'bob.jsonl')]),
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/events/bob.jsonl is a FIFO (named pipe); a run folder's files must be regular files`,
  },
  {
    name: 'status with the events folder a link to a folder outside',
    plant: (dir, outside) => {
      rmSync(outside);
      mkdirSync(outside);
      link(outside, join(dir, 'events'));
    },
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/events is a symbolic link; a run folder's folders must be real folders, not links`,
  },
  {
    name: 'export into the run folder\'s exports/, a link to a folder outside',
    plant: (dir, outside) => {
      rmSync(outside);
      mkdirSync(outside);
      link(outside, join(dir, 'exports'));
    },
    argv: (dir) => ['export', dir, '--format', 'llama-factory', '--out', join(dir, 'exports', 'pairs.jsonl')],
    expect: (dir) => `${dir}/exports is a symbolic link; a run folder's folders must be real folders, not links`,
  },
  {
    name: 'assign --force with assignments.json a link to /dev/zero',
    plant: (dir) => link('/dev/zero', join(dir, 'assignments.json')),
    argv: (dir) => ['assign', dir, '--annotators', 'a,b', '--force'],
    expect: (dir) => `${dir}/assignments.json is a symbolic link; a run folder's files must be regular files`,
  },
  {
    name: 'label with an author name too long for a file name',
    plant: () => {},
    argv: (dir) => ['label', dir, problemId, '--as', 'inlier', '--reason', 'x', '--author', 'x'.repeat(300)],
    expect: () => `the author name "${'x'.repeat(40)}…" is too long: its events file name would be 300 bytes, at most 200`,
  },
  {
    name: 'label with events a file, not a folder',
    plant: (dir) => {
      rmSync(join(dir, 'events'), { recursive: true });
      writeFileSync(join(dir, 'events'), 'not a folder\n');
    },
    argv: (dir) => ['label', dir, problemId, '--as', 'inlier', '--reason', 'x', '--author', 'bob'],
    expect: (dir) => `${dir}/events is a regular file; a run folder's folders must be real folders, not links`,
  },
  {
    name: 'label with the author\'s events file a folder',
    plant: (dir) => mkdirSync(join(dir, 'events', 'bob.jsonl')),
    argv: (dir) => ['label', dir, problemId, '--as', 'inlier', '--reason', 'x', '--author', 'bob'],
    expect: (dir) => `${dir}/events/bob.jsonl is a folder; a run folder's files must be regular files`,
  },
  {
    name: 'status with scores.jsonl a folder',
    plant: (dir) => {
      rmSync(join(dir, 'scores.jsonl'));
      mkdirSync(join(dir, 'scores.jsonl'));
    },
    argv: (dir) => ['status', dir],
    expect: (dir) => `${dir}/scores.jsonl is a folder; a run folder's files must be regular files`,
  },
  {
    name: 'status with the checkpoint index.hsstar a folder: ignored, the logs are read',
    plant: (dir) => {
      rmSync(join(dir, 'index.hsstar'));
      mkdirSync(join(dir, 'index.hsstar'));
    },
    argv: (dir) => ['status', dir],
    expect: (dir) => `project   ${dir}\n`,
    code: 0,
  },
  {
    name: 'status with the checkpoint index.hsstar a FIFO: ignored, the logs are read',
    plant: (dir) => {
      rmSync(join(dir, 'index.hsstar'));
      execFileSync('mkfifo', [join(dir, 'index.hsstar')]);
    },
    argv: (dir) => ['status', dir],
    expect: (dir) => `project   ${dir}\n`,
    code: 0,
  },
];

/** Runs the built CLI; killed after LIMIT_MS (`killed` then says so). */
function runCli(argv: string[], cwd: string): Promise<{ code: number | null; killed: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], { cwd, env: { ...process.env, HSSTAR_AUTHOR: 'carol', HSSTAR_CONFIG_DIR: join(root, 'config') } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, out });
    });
  });
}

// Each case is its own folder and process: they run a few at a time.
describe('a hostile received run folder', { concurrency: 4 }, () => {
  for (const c of cases) {
    test(c.name, async () => {
      const ws = mkdtempSync(join(root, 'case-'));
      const dir = join(ws, 'run');
      const outside = join(ws, 'outside.txt');
      cpSync(template, dir, { recursive: true });
      writeFileSync(outside, 'a file outside the run folder\n');
      c.plant(dir, outside);
      const outsideBefore = fileHash(outside);
      const folderBefore = folderHash(dir);
      const started = Date.now();
      const r = await runCli(c.argv(dir), ws);
      const took = Date.now() - started;
      assert.equal(r.killed, false, `killed after ${took} ms: the command did not end`);
      assert.equal(r.code, c.code ?? 1, r.out);
      assert.ok(r.out.includes(c.expect(dir)), `expected ${JSON.stringify(c.expect(dir))} in:\n${r.out}`);
      assert.doesNotMatch(r.out, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      if (c.outsideAbsent) assert.equal(existsSync(outside), false, 'the dangling link\'s target was not made');
      else assert.equal(fileHash(outside), outsideBefore, 'the file outside the folder is unchanged');
      assert.equal(folderHash(dir), folderBefore, 'the folder is unchanged');
    });
  }
});
