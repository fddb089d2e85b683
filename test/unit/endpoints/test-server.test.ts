import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../support/test-server';
import { ClassificationResponse, EmbeddingResponse, PoolingResponse, TokenizeResponse } from '../../../src/endpoints/vllm-replies';

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: (await res.json()) as unknown, retryAfter: res.headers.get('retry-after') };
}

test('capacity: requests beyond it wait in line', async () => {
  const server = await startTestServer({ latencyMs: 60, capacity: 2 });
  try {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => post(`${server.url}/tokenize`, { prompt: 'a' })));
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 170, `6 requests at 2 at a time took ${elapsed} ms`);
  } finally {
    await server.close();
  }
});

test('faults are consumed in order, per route, then replies are normal again', async () => {
  const server = await startTestServer();
  try {
    server.setFaults({ kind: 'status', status: 429, retryAfter: '5', route: '/classify', times: 2 });
    assert.equal((await post(`${server.url}/tokenize`, { prompt: 'x' })).status, 200, 'other routes untouched');
    const first = await post(`${server.url}/classify`, { model: 'm', input: 'x' });
    assert.deepEqual([first.status, first.retryAfter], [429, '5']);
    assert.equal((await post(`${server.url}/classify`, { model: 'm', input: 'x' })).status, 429);
    assert.equal((await post(`${server.url}/classify`, { model: 'm', input: 'x' })).status, 200);
    assert.equal(server.stats.faultsServed, 2);
  } finally {
    await server.close();
  }
});

test('replies have the documented vLLM shapes', async () => {
  const server = await startTestServer();
  try {
    const tok = TokenizeResponse.parse((await post(`${server.url}/tokenize`, { prompt: 'ab', add_special_tokens: true })).json);
    assert.equal(tok.count, 3);
    const emb = EmbeddingResponse.parse((await post(`${server.url}/v1/embeddings`, { model: 'm', input: tok.tokens })).json);
    assert.equal(emb.data[0]!.embedding.length, 3);
    const pool = PoolingResponse.parse((await post(`${server.url}/pooling`, { model: 'm', input: 'a<extra_0>' })).json);
    assert.equal(pool.model, 'm');
    ClassificationResponse.parse((await post(`${server.url}/classify`, { model: 'm', input: 'x' })).json);
    assert.equal((await post(`${server.url}/nowhere`, {})).status, 404);
  } finally {
    await server.close();
  }
});
