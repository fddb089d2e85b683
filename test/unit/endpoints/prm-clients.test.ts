import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server';
import { QwenPrmClient, qwenPrmInput } from '../../../src/endpoints/prm-qwen';
import { HttpJsonPrmClient } from '../../../src/endpoints/prm-http-json';
import { EndpointError } from '../../../src/endpoints/endpoint-error';

const question = 'What is $3 \\times 4$?';
const steps = ['We multiply 3 by 4.', 'That gives 12.', 'The answer is \\boxed{12}.'];

describe('vllm-qwen-prm: POST /pooling', () => {
  let server: TestServer;
  let seen: { question: string; steps: string[] } | undefined;
  before(async () => {
    server = await startTestServer({
      stepScores: (q, s) => {
        seen = { question: q, steps: s };
        return s.map((_, i) => 0.9 - i * 0.2);
      },
    });
  });
  after(() => server.close());

  test('sends the chat-formatted input with <extra_0> after each step and reads p_positive', async () => {
    const client = new QwenPrmClient({ baseURL: server.url, model: 'Qwen/Qwen2.5-Math-PRM-7B', apiKey: 'k-123456' });
    const scores = await client.scoreSteps(question, steps);
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/pooling');
    assert.deepEqual(req.body, { model: 'Qwen/Qwen2.5-Math-PRM-7B', input: qwenPrmInput(question, steps) });
    const input = (req.body as { input: string }).input;
    assert.equal(input.split('<extra_0>').length - 1, 3);
    assert.ok(input.includes('<|im_start|>user\nWhat is $3 \\times 4$?<|im_end|>'));
    assert.ok(input.includes('<|im_start|>assistant\nWe multiply 3 by 4.<extra_0>That gives 12.<extra_0>'));
    assert.deepEqual(seen, { question, steps });
    assert.deepEqual(scores.map((s) => +s.toFixed(6)), [0.9, 0.7, 0.5]);
  });

  test('a base URL given with /v1 still reaches /pooling at the server root', async () => {
    const client = new QwenPrmClient({ baseURL: `${server.v1}/`, model: 'm' });
    assert.equal(client.url, `${server.url}/pooling`);
    assert.equal((await client.scoreSteps('q', ['a'])).length, 1);
  });

  test('a step containing the tag cannot shift the step count', async () => {
    const client = new QwenPrmClient({ baseURL: server.url, model: 'm' });
    assert.equal((await client.scoreSteps('q', ['a <extra_0> b', 'c'])).length, 2);
  });

  test('no steps, no request', async () => {
    const before = server.stats.received['/pooling'] ?? 0;
    assert.deepEqual(await new QwenPrmClient({ baseURL: server.url, model: 'm' }).scoreSteps('q', []), []);
    assert.equal(server.stats.received['/pooling'] ?? 0, before);
  });
});

test('vllm-qwen-prm: a PRM returning a different number of scores than steps is a clear error naming the URL', async () => {
  const server = await startTestServer({ stepScores: () => [0.5] });
  try {
    const client = new QwenPrmClient({ baseURL: server.url, model: 'm' });
    await assert.rejects(client.scoreSteps('q', ['a', 'b']), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.equal(e.kind, 'mismatch');
      assert.match(e.message, new RegExp(`^${server.url}/pooling: PRM returned 1 scores for 2 steps`));
      assert.match(e.message, /prm\.protocol/);
      return true;
    });
  } finally {
    await server.close();
  }
});

// Skywork-o1-Open-PRM is tested against the vLLM-like server: test/unit/endpoints/vllm-prm.test.ts.

describe('http-json PRM contract', () => {
  test('POST {question, steps} → {step_scores}', async () => {
    const server = await startTestServer({ stepScores: (_q, s) => s.map((x) => (x.length % 10) / 10) });
    try {
      const client = new HttpJsonPrmClient({ baseURL: `${server.url}/prm`, model: '' });
      const scores = await client.scoreSteps('q', ['abc', 'abcdefg']);
      assert.deepEqual(server.requests.at(-1)!.body, { question: 'q', steps: ['abc', 'abcdefg'] });
      assert.deepEqual(scores, [0.3, 0.7]);
    } finally {
      await server.close();
    }
  });

  test('scores outside [0, 1] and wrong counts are refused', async () => {
    const server = await startTestServer({ stepScores: (_q, s) => (s.length === 1 ? [1.5] : [0.2]) });
    try {
      const client = new HttpJsonPrmClient({ baseURL: `${server.url}/prm`, model: '' });
      await assert.rejects(client.scoreSteps('q', ['a']), /outside \[0, 1\]/);
      await assert.rejects(client.scoreSteps('q', ['a', 'b']), /returned 1 scores for 2 steps/);
    } finally {
      await server.close();
    }
  });
});

describe('JSON route faults', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  const client = () => new QwenPrmClient({ baseURL: server.url, model: 'm', timeoutMs: 150 });
  const cases: [string, Parameters<TestServer['setFaults']>[0], (e: EndpointError) => void][] = [
    ['429 + Retry-After', { kind: 'status', status: 429, retryAfter: '2' }, (e) => (assert.equal(e.status, 429), assert.equal(e.retryAfterMs, 2000))],
    ['500', { kind: 'status', status: 500 }, (e) => assert.match(e.message, /\/pooling \(500\): injected 500$/)],
    ['503', { kind: 'status', status: 503 }, (e) => assert.equal(e.status, 503)],
    ['reset', { kind: 'reset' }, (e) => assert.equal(e.kind, 'connection')],
    ['timeout', { kind: 'hang' }, (e) => assert.equal(e.kind, 'timeout')],
    ['malformed JSON', { kind: 'malformed' }, (e) => assert.equal(e.kind, 'malformed')],
    ['empty data', { kind: 'empty' }, (e) => assert.equal(e.kind, 'malformed')],
    ['truncated body', { kind: 'truncated' }, (e) => assert.equal(e.kind, 'connection')],
  ];
  for (const [name, fault, check] of cases) {
    test(name, async () => {
      server.setFaults(fault);
      await assert.rejects(client().scoreSteps('q', ['a']), (e: unknown) => {
        assert.ok(e instanceof EndpointError, String(e));
        check(e);
        return true;
      });
    });
  }
});
