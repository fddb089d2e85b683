import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVllmServer, runBatch, vllmModel, RunBatchAborted, type VllmServerOptions } from '../../support/vllm-server';

/** What a raw POST gets back: the status and the parsed body. */
async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function withServer(options: VllmServerOptions, body: (url: string) => Promise<void>): Promise<void> {
  const server = await startVllmServer(options);
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

test('routes exist per served task; the others answer FastAPI\'s 404 body', async () => {
  const expected: [VllmServerOptions['kind'], string[]][] = [
    ['generate', ['/v1/chat/completions', '/v1/completions', '/tokenize']],
    ['qwen-prm', ['/pooling', '/tokenize']],
    ['skywork-prm', ['/pooling', '/tokenize']],
    ['skywork-prm-legacy', ['/v1/embeddings', '/tokenize']],
    ['classify', ['/pooling', '/classify', '/tokenize']],
  ];
  const all = ['/v1/chat/completions', '/v1/completions', '/pooling', '/classify', '/v1/embeddings', '/tokenize', '/v1/files', '/v1/batches'];
  for (const [kind, routes] of expected) {
    await withServer({ kind, servedModelName: 'm' }, async (url) => {
      for (const route of all) {
        const r = await post(`${url}${route}`, { model: 'm', prompt: 'x', input: 'x', messages: [{ role: 'user', content: 'x' }], max_tokens: 4 });
        if (routes.includes(route)) assert.notEqual(r.status, 404, `${kind} ${route}`);
        else assert.deepEqual([r.status, r.json], [404, { detail: 'Not Found' }], `${kind} ${route}`);
      }
    });
  }
});

test('the model name is checked; errors are nested by default and flat as an option', async () => {
  for (const shape of ['nested', 'flat'] as const) {
    await withServer({ kind: 'generate', servedModelName: 'served', errorShape: shape }, async (url) => {
      const r = await post(`${url}/v1/chat/completions`, { model: 'other', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(r.status, 404);
      const fields = { message: 'The model `other` does not exist.', type: 'NotFoundError', param: 'model', code: 404 };
      assert.deepEqual(r.json, shape === 'nested' ? { error: fields } : { object: 'error', ...fields });
    });
  }
});

test('max_model_len is enforced with vLLM\'s 400s, counted with the real tokenizer', async () => {
  await withServer({ kind: 'generate', servedModelName: 'm', maxModelLen: 32 }, async (url) => {
    const messages = [{ role: 'user', content: 'What is one plus one?' }];
    const ok = await post(`${url}/v1/chat/completions`, { model: 'm', messages, max_tokens: 4 });
    assert.equal(ok.status, 200);
    const input = (ok.json.usage as { prompt_tokens: number }).prompt_tokens;
    const over = await post(`${url}/v1/chat/completions`, { model: 'm', messages, max_tokens: 32 - input + 1 });
    assert.equal(over.status, 400);
    assert.match((over.json.error as { message: string }).message, new RegExp(`maximum context length is 32 tokens and your request has ${input} input tokens`));
    const tok = await post(`${url}/tokenize`, { model: 'm', prompt: 'What is one plus one?' });
    assert.equal(tok.json.max_model_len, 32);
  });
});

test('pooling activation per task: Skywork sigmoid unless use_activation is false; Qwen PRM softmax rows; encode is refused', async () => {
  await withServer({ kind: 'skywork-prm', servedModelName: 'm', stepLogit: () => -1, offStepLogit: 2 }, async (url) => {
    const on = await post(`${url}/pooling`, { model: 'm', input: [151643, 64, 198] });
    const off = await post(`${url}/pooling`, { model: 'm', input: [151643, 64, 198], use_activation: false });
    const rows = (r: typeof on) => ((r.json.data as { data: number[][] }[])[0]!.data);
    assert.deepEqual(rows(off), [[2], [2], [-1]]);
    assert.deepEqual(rows(on), [[1 / (1 + Math.exp(-2))], [1 / (1 + Math.exp(-2))], [1 / (1 + Math.exp(1))]]);
    const encode = await post(`${url}/pooling`, { model: 'm', input: [1], task: 'encode' });
    assert.equal(encode.status, 400);
    assert.equal((await post(`${url}/pooling`, { model: 'm', input: [1], task: 'embed' })).status, 400);
  });
  await withServer({ kind: 'qwen-prm', servedModelName: 'm', stepProbability: (_q, step) => (step === 'b' ? 0.25 : 0.75) }, async (url) => {
    const r = await post(`${url}/pooling`, { model: 'm', input: '<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\na<extra_0>b<extra_0><|im_end|>\n' });
    assert.deepEqual((r.json.data as { data: number[][] }[])[0]!.data, [[0.25, 0.75], [0.75, 0.25]]);
  });
});

test('seed: the same seed and prompt give the same text; no seed gives fresh ones', async () => {
  await withServer({ kind: 'generate', servedModelName: 'm' }, async (url) => {
    const ask = async (extra: Record<string, unknown>) =>
      ((await post(`${url}/v1/completions`, { model: 'm', prompt: 'Add two numbers.', max_tokens: 50, ...extra })).json.choices as { text: string }[]).map((c) => c.text);
    assert.deepEqual(await ask({ seed: 3, n: 2 }), await ask({ seed: 3, n: 2 }));
    assert.equal((await ask({ seed: 4 }))[0], (await ask({ seed: 3, n: 2 }))[1]);
    const fresh = new Set<string>();
    for (let i = 0; i < 10; i++) fresh.add((await ask({}))[0]!);
    assert.ok(fresh.size > 1);
  });
});

test('run-batch: a line no supported request type accepts aborts the file; unsupported urls and model errors become error lines', () => {
  const model = vllmModel({ kind: 'generate', servedModelName: 'm' });
  const chat = (id: string, body: Record<string, unknown>) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body });
  assert.throws(() => runBatch(model, `${chat('a', { model: 'm', messages: [{ role: 'user', content: 'x' }] })}\n${JSON.stringify({ custom_id: 'b', method: 'POST', url: '/v1/completions', body: { model: 'm', prompt: 'x' } })}\n`), RunBatchAborted);
  const out = runBatch(model, [chat('a', { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 8 }), chat('b', { model: 'x', messages: [{ role: 'user', content: 'x' }] }), JSON.stringify({ custom_id: 'c', method: 'POST', url: '/v1/completions', body: { model: 'm', messages: [{ role: 'user', content: 'x' }] } })].join('\n'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number; body: unknown }; error: unknown });
  assert.deepEqual(out.map((o) => [o.custom_id, o.response.status_code]), [['a', 200], ['b', 404], ['c', 400]]);
  assert.equal(out[0]!.error, null);
  assert.deepEqual(out[1]!.error, { error: { message: 'The model `x` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } });
  assert.equal(out[2]!.error, 'URL /v1/completions was used. Supported endpoints: /v1/chat/completions, /v1/embeddings, /score, /rerank.');
});
