import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startTestServer } from '../../support/test-server';
import { PolicyRequests } from '../../../src/endpoints/policy-request';

// PolicyRequests has the SDK build a route's URL and headers once and sends every later
// request's body as JSON: sound only while the SDK puts nothing of one request in them.
test('every request goes out as the openai SDK builds it: its URL, its headers, its body', async () => {
  const server = await startTestServer({ policy: ({ n }) => Array.from({ length: n }, (_, i) => `choice ${i}`) });
  try {
    for (const api of ['chat', 'completions'] as const) {
      const options = { baseURL: server.v1, model: 'm', apiKey: 'sk-test-1', api, seed: 3, stop: ['###'] };
      const requests = new PolicyRequests(options);
      // The SDK's own client with the same settings, asked to build each request.
      const sdk = new OpenAI({ baseURL: server.v1, apiKey: 'sk-test-1', organization: null, project: null, maxRetries: 0, logLevel: 'off' });
      const questions = ['What is 1 + 1?', 'A longer question, with "quotes", a tab\tand ünïcödé: what is 2 + 2?', 'Third'];
      for (const [i, q] of questions.entries()) {
        await requests.send(q, i + 1, undefined, { problemId: `p${i}`, firstSlot: i });
        const seen = server.requests.at(-1)!;
        const path = api === 'chat' ? '/chat/completions' : '/completions';
        const { req, url } = await sdk.buildRequest({ method: 'post', path, body: seen.body });
        assert.equal(`${server.url}${seen.path}`, url);
        assert.equal(req.body, JSON.stringify(seen.body), 'the SDK writes the body as JSON');
        const sdkHeaders = Object.fromEntries(new Headers(req.headers).entries());
        // The SDK names the client's class in user-agent (PolicyRequests' client is a subclass).
        assert.equal(seen.headers['user-agent']!.replace(/^\w+\//, ''), sdkHeaders['user-agent']!.replace(/^\w+\//, ''));
        for (const [name, value] of Object.entries(sdkHeaders)) if (name !== 'user-agent') assert.equal(seen.headers[name], value, `${api} request ${i}: header ${name}`);
        assert.equal((seen.body as { n?: number }).n, i + 1);
      }
      // Two requests of a route get the same headers from the SDK: nothing per request in them.
      const one = await sdk.buildRequest({ method: 'post', path: '/completions', body: { model: 'm', prompt: 'a', n: 1 } });
      const two = await sdk.buildRequest({ method: 'post', path: '/completions', body: { model: 'm', prompt: 'b c d', n: 4, seed: 9 } });
      assert.deepEqual(Object.fromEntries(new Headers(one.req.headers).entries()), Object.fromEntries(new Headers(two.req.headers).entries()));
    }
  } finally {
    await server.close();
  }
});
