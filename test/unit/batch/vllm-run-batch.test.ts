import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { readOutputLine } from '../../../src/core/batch/index';
import { runBatch, RunBatchAborted, startVllmServer, vllmModel, type VllmServerOptions } from '../../support/vllm-server';
import { runCli } from '../../support/cli-capture';
import { startBatchServer } from './batch-server';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';
const problems: Problem[] = [
  { id: 'p1', question: 'What is 1+1?', answer: '2', source: { file: 'd.jsonl', line: 1 } },
  { id: 'p2', question: 'What is 2+3?', answer: '5', source: { file: 'd.jsonl', line: 2 } },
  // Long enough that its prompt plus max_tokens is over the server's max_model_len.
  { id: 'p3', question: `Add these numbers: ${Array.from({ length: 60 }, (_, i) => i + 1).join(' + ')}.`, answer: '1830', source: { file: 'd.jsonl', line: 3 } },
];

async function project(root: string, policy: Record<string, unknown>): Promise<string> {
  const dir = join(root, 'run');
  const settings = RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'd.jsonl', sha256: 'b'.repeat(64) },
    policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: MODEL, nPerRequest: 2, maxTokens: 200, seed: 11, ...policy },
    budget: { N: 4, presample: 2 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
  });
  await (await ProjectStore.create(dir, settings, problems)).close();
  return dir;
}

/** `vllm run-batch -i input -o output` with the served model's settings. */
async function vllmRunBatch(input: string, output: string, served: Omit<VllmServerOptions, 'kind'> & Partial<Pick<VllmServerOptions, 'kind'>>): Promise<void> {
  await writeFile(output, runBatch(vllmModel({ kind: 'generate', ...served }), await readFile(input, 'utf8')));
}

test('a chat run exported for vllm run-batch is accepted; every failure line is recorded with its message, the rest imported', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-vllm-batch-'));
  try {
    await project(root, {});
    const exp = await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl'], root);
    assert.equal(exp.code, 0, exp.err);
    // max_model_len 256: p3's prompt + max_tokens 200 is over it; vLLM answers with its nested 400.
    await vllmRunBatch(join(root, 'rde.jsonl'), join(root, 'rde.output.jsonl'), { servedModelName: MODEL, maxModelLen: 400 });
    const output = (await readFile(join(root, 'rde.output.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; error: unknown; response: { status_code: number; body: unknown } });
    assert.equal(output.length, 3);
    const failed = output.find((o) => o.custom_id.startsWith('hsstar:p3:'))!;
    assert.equal(failed.response.status_code, 400);
    assert.equal(failed.response.body, null);
    assert.match(JSON.stringify(failed.error), /"error":\{"message":"'max_tokens' or 'max_completion_tokens' is too large: 200/);

    const imp = await runCli(['batch', 'import', 'run', 'rde.output.jsonl'], root);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /3 lines: 4 responses stored, 0 already stored, 0 duplicate, 1 failed requests recorded/);
    const { store } = await ProjectStore.open(join(root, 'run'), { write: false });
    try {
      const failure = store.failures().at(-1)!;
      assert.deepEqual(failure.targets, ['p3:0', 'p3:1']);
      assert.equal(failure.status, 400);
      assert.match(failure.message, /This model's maximum context length is 400 tokens and your request has \d+ input tokens/);
      assert.equal(store.responsesOf('p1').length, 2);
    } finally {
      await store.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('vLLM failure lines in every shape are read with their message', () => {
  const ctx = { presample: 2, round: 0, model: MODEL, at: '2026-01-01T00:00:00.000Z' };
  const line = (error: unknown, status = 400) => ({ id: 'vllm-1', custom_id: 'hsstar:p1:0,1', response: { status_code: status, request_id: 'vllm-batch-1', body: null }, error });
  const cases: [unknown, number, string][] = [
    [{ error: { message: 'The model `qwen` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } }, 404, 'The model `qwen` does not exist.'],
    [{ object: 'error', message: 'seed must be an integer.', type: 'BadRequestError', param: null, code: 400 }, 400, 'seed must be an integer.'],
    ['The model does not support Chat Completions API', 400, 'The model does not support Chat Completions API'],
    [{ code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' }, 400, 'batch_expired: This request could not be executed before the completion window expired.'],
  ];
  for (const [error, status, message] of cases) {
    assert.deepEqual(readOutputLine(line(error, status), ctx), { kind: 'failure', target: { problemId: 'p1', slots: [0, 1] }, status, message });
  }
});

test('the emulation writes string errors for a model without chat, and flat errors for older releases', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-vllm-batch-'));
  try {
    await project(root, {});
    assert.equal((await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl'], root)).code, 0);
    await vllmRunBatch(join(root, 'rde.jsonl'), join(root, 'pool.jsonl'), { kind: 'qwen-prm', servedModelName: MODEL });
    await vllmRunBatch(join(root, 'rde.jsonl'), join(root, 'flat.jsonl'), { servedModelName: 'other', errorShape: 'flat' });
    for (const [file, message] of [
      ['pool.jsonl', 'The model does not support Chat Completions API'],
      ['flat.jsonl', `The model \`${MODEL}\` does not exist.`],
    ] as const) {
      const imp = await runCli(['batch', 'import', 'run', file], root);
      assert.equal(imp.code, 0, imp.err);
      assert.match(imp.out, /3 lines: 0 responses stored.* 3 failed requests recorded/);
      const { store } = await ProjectStore.open(join(root, 'run'), { write: false });
      assert.deepEqual(new Set(store.failures().slice(-3).map((f) => f.message)), new Set([message]));
      await store.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a completions run: refused for vllm run-batch (which would abort on its lines), written for the OpenAI Batch API', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-vllm-batch-'));
  try {
    await project(root, { api: 'completions' });
    const refused = await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'v.jsonl'], root);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /policy\.api: vllm run-batch does not accept \/v1\/completions lines .* or export with --target openai/);
    assert.ok(!(await readdir(root)).includes('v.jsonl'), 'nothing written');

    const written = await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'o.jsonl', '--target', 'openai'], root);
    assert.equal(written.code, 0, written.err);
    // The lines the refusal spares the user: run-batch validates them as it reads and aborts.
    await assert.rejects(vllmRunBatch(join(root, 'o.jsonl'), join(root, 'o.out.jsonl'), { servedModelName: MODEL }), RunBatchAborted);
    assert.ok(!(await readdir(root)).includes('o.out.jsonl'));

    // The OpenAI Batch API takes them: submitted, validated, run, imported.
    const server = await startBatchServer({
      answer: (req) => ({
        status: 200,
        body: { id: 'cmpl-1', object: 'text_completion', created: 0, model: MODEL, choices: Array.from({ length: Number(req.body.n) }, (_, i) => ({ index: i, text: `\\boxed{${i}}`, finish_reason: 'stop' })), usage: { prompt_tokens: 5, completion_tokens: 2 } },
      }),
    });
    try {
      const dir = join(root, 'run');
      const settingsFile = join(dir, 'hsstar.json');
      const s = JSON.parse(await readFile(settingsFile, 'utf8')) as { settings?: { policy: { baseURLs: string[] } }; policy?: { baseURLs: string[] } };
      const policy = (s.settings ?? s).policy!;
      policy.baseURLs = [server.v1];
      await writeFile(settingsFile, JSON.stringify(s));
      assert.equal((await runCli(['trust', 'run', '--yes'], root)).code, 0);
      const sub = await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 's.jsonl', '--submit', '--poll-seconds', '0.01'], root);
      assert.equal(sub.code, 0, sub.err);
      assert.match(sub.out, /s\.output\.jsonl: 3 lines: 6 responses stored/);
    } finally {
      await server.close();
    }
    assert.equal((await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'x.jsonl', '--submit', '--target', 'vllm'], root)).code, 2);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('--submit to a vLLM server, which has no Batch routes, is a clear error naming the URL and what to do', async () => {
  const server = await startVllmServer({ kind: 'generate', servedModelName: MODEL });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-vllm-batch-'));
  try {
    await project(root, { baseURLs: [server.v1] });
    assert.equal((await runCli(['trust', 'run', '--yes'], root)).code, 0);
    const r = await runCli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl', '--submit'], root);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${server.v1}/files \\(404\\): this server has no Batch API \\(/v1/files, /v1/batches\\); a vLLM server does not serve them\\. Run the file on the cluster with \`vllm run-batch`));
    assert.deepEqual(server.requests.map((q) => q.path), ['/v1/files'], 'stopped at the upload');
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
