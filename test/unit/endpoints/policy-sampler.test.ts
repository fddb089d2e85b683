import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server';
import { PolicySampler, splitTokens } from '../../../src/endpoints/policy-sampler';
import { EndpointError } from '../../../src/endpoints/endpoint-error';

describe('policy sampler over the real openai SDK', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      policy: (req) =>
        Array.from({ length: req.n }, (_, i) =>
          i === 1 ? { text: 'cut short', finishReason: 'length' } : `sample ${i} of ${req.prompt}`,
        ),
    });
  });
  after(() => server.close());

  test('chat request carries the prompt template, system prompt and sampling settings', async () => {
    const sampler = new PolicySampler({
      baseURL: server.v1,
      model: 'policy-7b',
      apiKey: 'sk-live-abc123',
      systemPrompt: 'Think in steps.',
      promptTemplate: 'Problem: {question}\nSolve it.',
      temperature: 0.6,
      topP: 0.9,
      maxTokens: 512,
      stop: ['</s>'],
      seed: 7,
    });
    const batch = await sampler.sample('2+2?', 3);
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/v1/chat/completions');
    assert.deepEqual(req.body, {
      model: 'policy-7b',
      n: 3,
      temperature: 0.6,
      top_p: 0.9,
      max_tokens: 512,
      stop: ['</s>'],
      seed: 7,
      messages: [
        { role: 'system', content: 'Think in steps.' },
        { role: 'user', content: 'Problem: 2+2?\nSolve it.' },
      ],
      stream: false,
    });
    assert.equal(req.headers.authorization, 'Bearer sk-live-abc123');
    assert.equal(batch.samples.length, 3);
    assert.equal(batch.samples[0]!.text, 'sample 0 of Problem: 2+2?\nSolve it.');
    assert.equal(batch.samples[1]!.finishReason, 'length', 'a length cut is kept with its reason');
    assert.equal(batch.samples[0]!.model, 'policy-7b');
    // The server bills ceil(len/4) per choice; shares must add up to its total.
    const total = batch.samples.reduce((a, s) => a + s.usage.completion, 0);
    assert.equal(total, batch.usage.completion);
    assert.ok(batch.usage.prompt > 0);
    assert.ok(batch.samples.every((s) => s.latencyMs >= 0));
  });

  test('completions request for base models sends a plain prompt', async () => {
    const sampler = new PolicySampler({ baseURL: server.v1, model: 'base', api: 'completions', promptTemplate: 'Q: {question}\nA:' });
    const batch = await sampler.sample('1+1?', 2);
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/v1/completions');
    assert.equal((req.body as { prompt: string }).prompt, 'Q: 1+1?\nA:');
    assert.equal((req.body as { n: number }).n, 2);
    assert.equal('messages' in (req.body as object), false);
    assert.deepEqual(batch.samples.map((s) => s.text), ['sample 0 of Q: 1+1?\nA:', 'cut short']);
  });

  test('default chat prompt is the method step-by-step system message', async () => {
    const sampler = new PolicySampler({ baseURL: server.v1, model: 'm' });
    await sampler.sample('x', 1);
    const messages = (server.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages;
    assert.equal(messages[0]!.role, 'system');
    assert.match(messages[0]!.content, /step by step/);
    assert.match(messages[0]!.content, /\\boxed\{\}/);
    assert.equal(messages[1]!.content, 'x');
  });
});

describe('n > 1 fallback', () => {
  test('a server that refuses n > 1 gets single-sample requests from then on', async () => {
    const server = await startTestServer({ nMode: 'reject' });
    try {
      const sampler = new PolicySampler({ baseURL: server.v1, model: 'm' });
      const first = await sampler.sample('q', 4);
      assert.equal(first.samples.length, 1);
      assert.equal(sampler.supportsN, false);
      await sampler.sample('q', 4);
      const ns = server.requests.map((r) => (r.body as { n: number }).n);
      assert.deepEqual(ns, [4, 1, 1]);
    } finally {
      await server.close();
    }
  });

  test('a server that ignores n (one choice back) is asked for one at a time', async () => {
    const server = await startTestServer({ nMode: 'ignore' });
    try {
      const sampler = new PolicySampler({ baseURL: server.v1, model: 'm' });
      assert.equal((await sampler.sample('q', 3)).samples.length, 1);
      await sampler.sample('q', 3);
      assert.deepEqual(server.requests.map((r) => (r.body as { n: number }).n), [3, 1]);
    } finally {
      await server.close();
    }
  });
});

describe('faults become EndpointErrors naming URL and status', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  const expectFault = async (sampler: PolicySampler) => {
    try {
      await sampler.sample('q', 2);
    } catch (e) {
      assert.ok(e instanceof EndpointError, `not an EndpointError: ${String(e)}`);
      return e;
    }
    assert.fail('no error');
  };

  test('429 with Retry-After', async () => {
    server.setFaults({ kind: 'status', status: 429, retryAfter: '3' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterMs, 3000);
    assert.ok(e.message.startsWith(`${server.v1}/chat/completions (429)`), e.message);
  });

  for (const status of [500, 503, 401, 404]) {
    test(`status ${status}`, async () => {
      server.setFaults({ kind: 'status', status });
      const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
      assert.equal(e.status, status);
      assert.match(e.message, new RegExp(`\\(${status}\\): injected ${status}`));
    });
  }

  test('connection reset', async () => {
    server.setFaults({ kind: 'reset' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
    assert.equal(e.kind, 'connection');
    assert.equal(e.status, null);
  });

  test('timeout', async () => {
    server.setFaults({ kind: 'hang' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm', timeoutMs: 150 }));
    assert.equal(e.kind, 'timeout');
  });

  test('malformed JSON', async () => {
    server.setFaults({ kind: 'malformed' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
    assert.equal(e.kind, 'malformed');
  });

  test('empty choices', async () => {
    server.setFaults({ kind: 'empty' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
    assert.equal(e.kind, 'malformed');
    assert.match(e.message, /no choices/);
  });

  test('truncated body', async () => {
    server.setFaults({ kind: 'truncated' });
    const e = await expectFault(new PolicySampler({ baseURL: server.v1, model: 'm' }));
    assert.equal(e.kind, 'connection');
  });

  test('cancelled by the caller', async () => {
    server.setFaults({ kind: 'hang' });
    const ac = new AbortController();
    const p = new PolicySampler({ baseURL: server.v1, model: 'm' }).sample('q', 1, ac.signal);
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(p, (e: unknown) => e instanceof EndpointError && e.kind === 'aborted');
  });
});

test('splitTokens shares a total in proportion to length and keeps the sum', () => {
  assert.deepEqual(splitTokens(10, [1, 1]), [5, 5]);
  assert.deepEqual(splitTokens(10, [3, 1]).reduce((a, b) => a + b, 0), 10);
  assert.deepEqual(splitTokens(7, [0, 0, 0]).reduce((a, b) => a + b, 0), 7);
  assert.deepEqual(splitTokens(0, [5]), [0]);
});
