import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { ProjectStore } from '../../../src/store/project';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { startBatchServer, type LineAnswer } from './batch-server';
import { captureIO } from '../../support/cli-capture';

const KEY = 'sk-batch-test-9876543210';
const problems: Problem[] = [
  { id: 'p1', question: 'What is 1+1?', answer: '2', source: { file: 'd.jsonl', line: 1 } },
  { id: 'p2', question: 'What is 2+3?', answer: '5', source: { file: 'd.jsonl', line: 2 } },
  { id: 'p3', question: 'What is 3+3?', answer: '6', source: { file: 'd.jsonl', line: 3 } },
];

/** The user's config (key approvals) stays inside the test's folder. */
function io(cwd: string, env: NodeJS.ProcessEnv) {
  const cli = captureIO(cwd, { HSSTAR_CONFIG_DIR: join(cwd, 'user-config'), ...env });
  return { cli, out: cli.out, err: cli.err };
}

/** p3's request fails; the others get n boxed answers. */
function answer(req: { custom_id: string; body: Record<string, unknown> }): LineAnswer {
  if (req.custom_id.startsWith('hsstar:p3:')) return { status: 500, body: { error: { message: 'replica lost' } } };
  const n = Number(req.body.n ?? 1);
  return {
    status: 200,
    body: {
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 0,
      model: String(req.body.model),
      choices: Array.from({ length: n }, (_, i) => ({ index: i, message: { role: 'assistant', content: `\\boxed{${i}}` }, finish_reason: 'stop' })),
      usage: { prompt_tokens: 9, completion_tokens: 3 * n, total_tokens: 9 + 3 * n },
    },
  };
}

async function project(dir: string, v1: string): Promise<void> {
  const settings = RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'd.jsonl', sha256: 'b'.repeat(64) },
    policy: { baseURLs: [v1], model: 'm', nPerRequest: 2, apiKeyEnv: 'HSSTAR_BATCH_KEY' },
    budget: { N: 4, presample: 2 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
  });
  await (await ProjectStore.create(dir, settings, problems)).close();
}

test('batch export --submit uploads, polls, downloads both result files and imports them', async () => {
  const server = await startBatchServer({ answer, pollsToFinish: 2 });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-submit-'));
  try {
    await project(join(root, 'run'), server.v1);
    const refused = io(root, { HSSTAR_BATCH_KEY: KEY });
    assert.equal(await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl', '--submit'], refused.cli), 1);
    assert.match(refused.err(), /not approved on this machine:\n  policy: \$HSSTAR_BATCH_KEY -> http:\/\/127\.0\.0\.1:\d+\/v1\n.*hsstar trust run --yes/s);
    assert.equal(server.authorizations.length, 0, 'no call before the approval');
    assert.equal(await main(['trust', 'run', '--yes'], io(root, {}).cli), 0);
    const t = io(root, { HSSTAR_BATCH_KEY: KEY });
    const code = await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl', '--submit', '--poll-seconds', '0.01'], t.cli);
    assert.equal(code, 0, t.err());
    assert.match(t.out(), /submitted: batch batch_\d+: validating/);
    assert.match(t.out(), /rde\.output\.jsonl: 2 lines: 4 responses stored/);
    assert.match(t.out(), /rde\.error\.jsonl: 1 lines: 0 responses stored, 0 already stored, 1 failed requests recorded/);
    assert.match(t.err(), /completed \(2\/3 done, 1 failed\)/);
    assert.equal(server.uploads.length, 1);
    assert.equal(server.uploads[0]!.content.toString(), await readFile(join(root, 'rde.jsonl'), 'utf8'));
    assert.ok(server.authorizations.every((a) => a === `Bearer ${KEY}`), 'every call carries the key');

    const { store } = await ProjectStore.open(join(root, 'run'), { write: false });
    try {
      assert.equal(store.counts().responses, 4);
      assert.equal(store.failures().length, 1);
      assert.match(store.failures()[0]!.message, /replica lost/);
      assert.deepEqual(store.failures()[0]!.targets, ['p3:0', 'p3:1']);
    } finally {
      await store.close();
    }
    for (const f of await readdir(join(root, 'run'))) {
      if (f.endsWith('.jsonl') || f.endsWith('.json')) assert.ok(!(await readFile(join(root, 'run', f), 'utf8')).includes(KEY), `${f} holds the key`);
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('a batch that fails validation is an error with the server reasons; a missing key is named', async () => {
  const server = await startBatchServer({ answer, validationErrors: [{ line: 2, message: 'model not found' }] });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-submit-'));
  try {
    await project(join(root, 'run'), server.v1);
    assert.equal(await main(['trust', 'run', '--yes'], io(root, {}).cli), 0);
    let t = io(root, {});
    assert.equal(await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'a.jsonl', '--submit'], t.cli), 1);
    assert.match(t.err(), /policy\.apiKeyEnv: environment variable HSSTAR_BATCH_KEY is not set/);
    assert.ok(!(await readdir(root)).includes('a.jsonl'), 'nothing exported before the key is known');
    t = io(root, { HSSTAR_BATCH_KEY: KEY });
    assert.equal(await main(['batch', 'export', 'run', '--stage', 'rde', '--out', 'b.jsonl', '--submit', '--poll-seconds', '0.01'], t.cli), 1);
    assert.match(t.err(), /batch batch_\d+ failed: line 2: model not found/);
    assert.ok(!t.err().includes(KEY));
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
