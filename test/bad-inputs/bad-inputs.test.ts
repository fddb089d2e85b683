/**
 * The bad-input corpus: datasets, settings files, project files, command lines, batch
 * output files, endpoint replies and webview messages, each with the error text it must
 * produce. Every case runs against a fresh project folder whose endpoints point at a
 * closed port, and checks the message and that the folder is byte-for-byte unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProjectStore } from '../../src/store/project';
import { folderHash } from '../support/folder-hash';
import { RunSettings, type Problem } from '../../src/core/schema/index';
import { parseWebviewRequest } from '../../src/protocol';
import { PolicySampler } from '../../src/endpoints/policy-sampler';
import { HttpJsonPrmClient } from '../../src/endpoints/prm-http-json';
import { runCli } from '../support/cli-capture';

const HERE = new URL('.', import.meta.url).pathname;
const REPO = resolve(HERE, '../..');
const KEY = 'sk-test-SECRET-0123456789';

interface Corpus<T> {
  cases: (T & { name: string; expect: string })[];
}
const corpus = <T>(file: string): Corpus<T> => JSON.parse(readFileSync(join(HERE, file), 'utf8')) as Corpus<T>;

const problems: Problem[] = [
  { id: 'alpha', question: 'What is $1+1$?', answer: '2', source: { file: 'tiny.jsonl', line: 1 } },
  { id: 'beta', question: 'What is $2 \\times 3$?', answer: '6', source: { file: 'tiny.jsonl', line: 2 } },
  { id: 'gamma', question: 'Solve $x^2 = 9$, $x > 0$.', answer: '3', source: { file: 'tiny.jsonl', line: 3 } },
];

const baseSettings = {
  formatVersion: 1,
  dataset: { path: 'tiny.jsonl', sha256: 'd'.repeat(64) },
  // Port 9 (discard) is closed here: a case that made a request would fail loudly.
  policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'policy', nPerRequest: 1 },
  budget: { N: 4, presample: 2 },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
};

/** The valid project every case starts from, built once and copied (creating one costs fsyncs). */
let template: Promise<string> | undefined;
function templateProject(): Promise<string> {
  return (template ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hsstar-bad-template-')), 'run');
    const store = await ProjectStore.create(dir, RunSettings.parse(baseSettings), problems);
    await store.appendResponses([
      { id: 'alpha:0', problemId: 'alpha', slot: 0, stage: 'pre', text: 'So \\boxed{2}', finishReason: 'stop', usage: { prompt: 5, completion: 3 }, model: 'policy', latencyMs: 10, at: '2026-01-01T00:00:00.000Z', round: 0 },
    ]);
    await store.appendScores([{ kind: 'grade', responseId: 'alpha:0', extracted: '2', method: 'box', correct: true, grader: 'test' }]);
    await store.close();
    return dir;
  })());
}

/** A workspace with a valid project in `run/` holding one response and its grade. */
async function workspace(): Promise<{ root: string; dir: string; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-bad-'));
  const dir = join(root, 'run');
  cpSync(await templateProject(), dir, { recursive: true });
  return { root, dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A missing folder and an empty one count the same: a refused `init` may leave the empty folder it was asked to fill. */
const folderState = (dir: string): string => (!existsSync(dir) || readdirSync(dir).length === 0 ? 'absent' : folderHash(dir));

async function cli(argv: string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCli(argv, cwd, { PATH: process.env.PATH });
  return { code: r.code, stdout: r.out, stderr: r.err };
}

interface Workspace {
  root: string;
  dir: string;
}

interface CaseSteps {
  /** Damages the workspace before the folder is hashed. */
  prepare?: (w: Workspace) => void | Promise<void>;
  /** Does the thing and returns the message it produced. */
  act: (w: Workspace) => Promise<string>;
  /** The folder that must not change (default: the project folder). */
  watch?: (w: Workspace) => string;
}

/** Runs one case: the message must contain the expected text, and the folder must be unchanged. */
async function check(name: string, expect: string, steps: CaseSteps): Promise<void> {
  const w = await workspace();
  try {
    await steps.prepare?.(w);
    const watched = steps.watch ? steps.watch(w) : w.dir;
    const before = folderState(watched);
    const message = await steps.act(w);
    assert.ok(message.includes(expect), `${name}: expected the message to contain\n  ${expect}\ngot\n  ${message}`);
    assert.ok(!message.includes(KEY), `${name}: the key leaked into the message`);
    assert.equal(folderState(watched), before, `${name}: the project folder changed`);
  } finally {
    w.cleanup();
  }
}

const cases: { name: string; run: () => Promise<void> }[] = [];
const add = (name: string, run: () => Promise<void>) => cases.push({ name, run });

// ---- datasets: the store's corpus (test/bad-inputs/datasets), this time through `hsstar init`
{
  const dir = join(HERE, 'datasets');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { issues: string[] }>;
  for (const [file, want] of Object.entries(expected)) {
    const firstError = want.issues.find((i) => i.startsWith('error: '));
    if (!firstError) continue;
    const path = join(dir, file);
    add(`dataset ${file}: hsstar init refuses it and creates no project`, () =>
      check(file, firstError.slice('error: '.length).replaceAll('{file}', path), {
        watch: (w) => join(w.root, 'new'),
        act: async (w) => {
          const r = await cli(['init', join(w.root, 'new'), '--dataset', path]);
          assert.equal(r.code, 1, r.stderr);
          return r.stderr;
        },
      }),
    );
  }
}

// ---- settings files: `status` (read-only) and `run` both refuse them
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
function merge(base: Json, patch: Json): Json {
  const isObject = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(patch) || !isObject(base)) return patch;
  const out: { [k: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k] ?? null, v);
  }
  return out;
}
for (const c of corpus<{ raw?: string; merge?: Json }>('settings-files.json').cases) {
  for (const command of ['status', 'run']) {
    add(`settings ${c.name}: hsstar ${command} refuses it`, () =>
      check(c.name, c.expect, {
        prepare: (w) => {
          const path = join(w.dir, 'hsstar.json');
          writeFileSync(path, c.raw ?? JSON.stringify(merge(JSON.parse(readFileSync(path, 'utf8')) as Json, c.merge ?? {}), null, 2));
        },
        act: async (w) => {
          const r = await cli([command, w.dir]);
          assert.equal(r.code, 1, r.stderr);
          assert.ok(!r.stderr.includes('sk-live-0123456789'), 'a key-like value was echoed');
          return r.stderr;
        },
      }),
    );
  }
}

// ---- project files damaged outside the program
for (const c of corpus<{ file: string; append?: string; prepend?: string; replace?: string }>('project-files.json').cases) {
  add(`project file ${c.name}: hsstar status names file and line`, () =>
    check(c.name, c.expect, {
      prepare: (w) => {
        const path = join(w.dir, c.file);
        // A legacy events.jsonl is not in a new folder: the case writes it, as an old run has it.
        const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
        writeFileSync(path, c.replace ?? `${c.prepend ?? ''}${old}${c.append ?? ''}`);
      },
      act: async (w) => {
        const r = await cli(['status', w.dir]);
        assert.equal(r.code, 1, r.stderr);
        return r.stderr;
      },
    }),
  );
}

// ---- command lines
for (const c of corpus<{ argv: string[]; exit: number; stream?: 'stdout' | 'stderr' }>('cli-args.json').cases) {
  add(`command line ${c.name}: exit ${c.exit} with a clear message`, () =>
    check(c.name, c.expect, {
      act: async (w) => {
        const argv = c.argv.map((a) => a.replaceAll('{dir}', w.dir).replaceAll('{nodir}', join(w.root, 'nothing-here')));
        const r = await cli(argv);
        assert.equal(r.code, c.exit, `${argv.join(' ')}: ${r.stderr}`);
        assert.ok(!existsSync(join(w.root, 'nothing-here')), 'no folder was created');
        return c.stream === 'stdout' ? r.stdout : r.stderr;
      },
    }),
  );
}

// ---- batch output files (replies of a batch engine)
for (const c of corpus<{ lines?: string[]; deep?: number; missing?: boolean }>('batch-output.json').cases) {
  add(`batch output ${c.name}: import stops before writing`, () =>
    check(c.name, c.expect, {
      prepare: (w) => {
        if (c.missing) return;
        const text = c.deep ? `${'['.repeat(c.deep)}${']'.repeat(c.deep)}` : c.lines!.map((l) => l.replaceAll('{P0}', 'alpha').replaceAll('{P1}', 'beta')).join('\n');
        writeFileSync(join(w.root, 'out.jsonl'), text + '\n');
      },
      act: async (w) => {
        const r = await cli(['batch', 'import', w.dir, join(w.root, c.missing ? 'missing.jsonl' : 'out.jsonl')]);
        assert.equal(r.code, 1, r.stderr);
        return r.stderr;
      },
    }),
  );
}

// ---- endpoint replies from a hostile server
for (const c of corpus<{ client: 'policy' | 'prm'; status: number; body?: string; bodyBytes?: number; trickle?: boolean; timeoutMs?: number }>('endpoint-replies.json').cases) {
  add(`endpoint reply ${c.name}: the client fails with a clear message`, () =>
    check(c.name, c.expect, {
      act: async () => {
        const server = http.createServer((req, res) => {
          req.resume();
          req.on('end', () => {
            if (c.trickle) {
              // One space every 50 ms, forever: only the client's time limit ends it.
              res.writeHead(c.status, { 'content-type': 'application/json' });
              res.write('{"step_scores": [');
              const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 50);
              res.on('close', () => clearInterval(t));
              return;
            }
            if (c.bodyBytes) {
              res.writeHead(c.status, { 'content-type': 'application/json' });
              const chunk = Buffer.alloc(1 << 20, 0x20);
              let sent = 0;
              const pump = () => {
                while (sent < c.bodyBytes! && !res.destroyed) {
                  sent += chunk.length;
                  if (!res.write(chunk)) return void res.once('drain', pump);
                }
                res.end();
              };
              return pump();
            }
            res.writeHead(c.status, { 'content-type': 'application/json' });
            res.end(c.body);
          });
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
          if (c.client === 'policy') {
            await new PolicySampler({ baseURL: `${url}/v1`, model: 'm', apiKey: KEY, timeoutMs: c.timeoutMs ?? 10_000 }).sample('What is 1+1?', 1);
          } else {
            await new HttpJsonPrmClient({ baseURL: `${url}/prm`, model: 'prm', apiKey: KEY, timeoutMs: c.timeoutMs ?? 10_000 }).scoreSteps('q', ['a', 'b']);
          }
          return 'no error';
        } catch (err) {
          return (err as Error).message;
        } finally {
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        }
      },
    }),
  );
}

// ---- webview messages
for (const c of corpus<{ message?: unknown; raw?: string }>('webview-messages.json').cases) {
  add(`webview message ${c.name}: refused by the protocol`, () =>
    check(c.name, c.expect, {
      act: async () => {
        const raw = c.raw !== undefined ? JSON.parse(c.raw) : JSON.parse(JSON.stringify(c.message).replace('{huge}', 'x'.repeat(5000)));
        const parsed = parseWebviewRequest(raw);
        assert.equal(parsed.ok, false);
        return parsed.ok ? 'accepted' : parsed.error;
      },
    }),
  );
}

test('the corpus holds at least 40 cases', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});
for (const c of cases) test(c.name, c.run);
test.after(async () => {
  if (template) rmSync(join(await template, '..'), { recursive: true, force: true });
});
