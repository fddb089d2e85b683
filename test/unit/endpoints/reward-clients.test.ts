import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server';
import { HttpJsonRewardClient, VllmClassifyRewardClient, VllmPoolingRewardClient } from '../../../src/endpoints/reward-client';

describe('reward model clients', () => {
  let server: TestServer;
  let probs = [0.25, 0.75];
  before(async () => {
    server = await startTestServer({
      classProbs: () => probs,
      rewardScore: (q, r) => (q.length + r.length) / 100,
    });
  });
  after(() => server.close());

  test('vllm-classify: POST /classify with the conversation; two classes → p(last class)', async () => {
    const client = new VllmClassifyRewardClient({ baseURL: server.url, model: 'orm' });
    assert.equal(await client.score('q?', 'answer'), 0.75);
    assert.deepEqual(server.requests.at(-1)!.body, {
      model: 'orm',
      messages: [
        { role: 'user', content: 'q?' },
        { role: 'assistant', content: 'answer' },
      ],
    });
    assert.equal(server.requests.at(-1)!.path, '/classify');
  });

  test('vllm-classify: one class → its value', async () => {
    probs = [0.42];
    assert.equal(await new VllmClassifyRewardClient({ baseURL: server.url, model: 'orm' }).score('q', 'r'), 0.42);
    probs = [0.25, 0.75];
  });

  test('vllm-pooling: POST /pooling with the conversation; the pooled value is the score', async () => {
    const client = new VllmPoolingRewardClient({ baseURL: server.url, model: 'orm' });
    assert.equal(await client.score('abcd', 'efghij'), 0.1);
    assert.equal(server.requests.at(-1)!.path, '/pooling');
  });

  test('http-json: POST {question, response} → {score}', async () => {
    const client = new HttpJsonRewardClient({ baseURL: `${server.url}/reward`, model: '' });
    assert.equal(await client.score('ab', 'cd'), 0.04);
    assert.deepEqual(server.requests.at(-1)!.body, { question: 'ab', response: 'cd' });
  });
});
