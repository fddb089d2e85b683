import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVllmServer, type VllmServer } from '../../support/vllm-server';
import { PolicySampler } from '../../../src/endpoints/policy-sampler';
import { EndpointError } from '../../../src/endpoints/endpoint-error';
import { saysNUnsupported } from '../../../src/endpoints/server-messages';
import { requestSeed, SEED_STRIDE } from '../../../src/core/request-seed';
import { sampleResponses } from '../../../src/pipeline/engine/sample-responses';
import type { Response } from '../../../src/core/schema/index';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

test('requestSeed: reproducible, one block of seeds per request of a problem, within 31 bits', () => {
  assert.equal(requestSeed(7, 'p1', 3), requestSeed(7, 'p1', 3));
  assert.notEqual(requestSeed(7, 'p1', 0), requestSeed(8, 'p1', 0));
  assert.notEqual(requestSeed(7, 'p1', 0), requestSeed(7, 'p2', 0));
  for (const id of ['p1', 'math500-17', 'a:b:c']) {
    // Children of a request use seed..seed+n-1: over a problem's slots no two requests overlap.
    const children = new Set<number>();
    for (let first = 0; first < 64; first++) {
      const seed = requestSeed(1234, id, first);
      assert.ok(Number.isSafeInteger(seed) && seed >= 0 && seed + SEED_STRIDE < 2 ** 31);
      for (let i = 0; i < 8; i++) children.add(seed + i);
    }
    assert.equal(children.size, 64 * 8);
  }
});

describe('sampling from a vLLM-like server', () => {
  let server: VllmServer;
  before(async () => {
    server = await startVllmServer({ kind: 'generate', servedModelName: MODEL, maxModelLen: 4096 });
  });
  after(() => server.close());

  test('the server honours seed: the same seed and prompt give the same texts, child i uses seed + i', async () => {
    const sampler = new PolicySampler({ baseURL: server.v1, model: MODEL, seed: 5 });
    const a = await sampler.sample('What is 1 + 1?', 3);
    const b = await sampler.sample('What is 1 + 1?', 3);
    assert.deepEqual(a.samples.map((s) => s.text), b.samples.map((s) => s.text));
    const c = await new PolicySampler({ baseURL: server.v1, model: MODEL, seed: 6 }).sample('What is 1 + 1?', 1);
    assert.equal(c.samples[0]!.text, a.samples[1]!.text);
    assert.equal(new Set(a.samples.map((s) => s.text)).size, 3);
  });

  test('every request of a problem sends its own seed, so re-samples do not repeat pre-samples', async () => {
    const sampler = new PolicySampler({ baseURL: server.v1, model: MODEL, seed: 1234 });
    const questions = ['What is 2 + 3?', 'What is 10 + 20?'];
    const mark = server.requests.length;
    const written: Response[] = [];
    const run = (slots: number[]) =>
      sampleResponses({
        samplers: [sampler],
        work: questions.map((question, i) => ({ problem: { id: `p${i}`, question }, slots })),
        nPerRequest: 2,
        concurrency: 4,
        onResponses: async (rs) => void written.push(...rs),
      });
    await run([0, 1]); // pre-samples
    await run([2, 3, 4, 5]); // re-samples
    const bodies = server.requests.slice(mark).map((r) => r.body as { seed: number; n: number; messages: { content: string }[] });
    assert.equal(bodies.length, 6);
    for (const [i, question] of questions.entries()) {
      const mine = bodies.filter((b) => b.messages.at(-1)!.content === question);
      const seeds = mine.map((b) => b.seed).sort();
      assert.deepEqual(seeds, [0, 2, 4].map((first) => requestSeed(1234, `p${i}`, first)).sort());
      const texts = written.filter((r) => r.problemId === `p${i}`).map((r) => r.text);
      assert.equal(texts.length, 6);
      assert.equal(new Set(texts).size, 6, `p${i}: a re-sample repeated a pre-sample`);
    }
  });

  test('a context-length 400 fails that request with vLLM\'s message and keeps n', async () => {
    const sampler = new PolicySampler({ baseURL: server.v1, model: MODEL, maxTokens: 5000 });
    await assert.rejects(sampler.sample('What is 1 + 1?', 4), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.equal(e.status, 400);
      assert.match(e.message, /\/chat\/completions \(400\): 'max_tokens' or 'max_completion_tokens' is too large: 5000\. This model's maximum context length is 4096 tokens/);
      return true;
    });
    assert.equal(sampler.supportsN, true);
    assert.equal((server.requests.at(-1)!.body as { n: number }).n, 4, 'no second request with n = 1');
  });

  test('a wrong model name is a 404 naming the model', async () => {
    await assert.rejects(new PolicySampler({ baseURL: server.v1, model: 'qwen' }).sample('q', 2), /\(404\): The model `qwen` does not exist\./);
  });
});

test('n is given up only when the server says n is unsupported', async () => {
  const server = await startVllmServer({ kind: 'generate', servedModelName: MODEL, refuseNWith: "Unsupported parameter: 'n' is not supported with this model." });
  try {
    const sampler = new PolicySampler({ baseURL: server.v1, model: MODEL });
    const batch = await sampler.sample('What is 1 + 1?', 4);
    assert.equal(batch.samples.length, 1);
    assert.equal(sampler.supportsN, false);
    assert.deepEqual(server.requests.map((r) => (r.body as { n: number }).n), [4, 1]);
  } finally {
    await server.close();
  }
});

test('older vLLM\'s flat error bodies are read: the message reaches the error', async () => {
  const server = await startVllmServer({ kind: 'generate', servedModelName: MODEL, maxModelLen: 64, errorShape: 'flat' });
  try {
    const sampler = new PolicySampler({ baseURL: server.v1, model: MODEL, maxTokens: 100 });
    await assert.rejects(sampler.sample('What is 1 + 1?', 2), /maximum context length is 64 tokens/);
    assert.equal(sampler.supportsN, true);
  } finally {
    await server.close();
  }
});

test('saysNUnsupported: wordings that mean n, and 400s that do not', () => {
  for (const m of ["Unsupported parameter: 'n' is not supported with this model.", 'n must be 1 when using greedy sampling, got 2.', 'n > 1 is not supported', 'Only n=1 is supported']) {
    assert.equal(saysNUnsupported(400, m), true, m);
  }
  assert.equal(saysNUnsupported(400, 'bad value', 'n'), true);
  for (const m of [
    "'max_tokens' or 'max_completion_tokens' is too large: 2048. This model's maximum context length is 4096 tokens and your request has 3000 input tokens (2048 > 4096 - 3000).",
    'This model\'s maximum context length is 4096 tokens. However, your request has 5000 input tokens. Please reduce the length of the input messages.',
    '1 validation error for ChatCompletionRequest\nmessages\n  Field required',
    'temperature must be non-negative, got -1.',
  ]) {
    assert.equal(saysNUnsupported(400, m), false, m);
  }
  assert.equal(saysNUnsupported(500, 'n > 1 is not supported'), false);
});
