import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVllmServer, QWEN2_NEWLINE_ID, type VllmServer } from '../../support/vllm-server';
import { qwen2Encode } from '../../support/qwen2-tokenizer';
import { SkyworkPrmClient, SKYWORK_BOS_TEXT } from '../../../src/endpoints/prm-skywork';
import { QwenPrmClient } from '../../../src/endpoints/prm-qwen';
import { sigmoid } from '../../../src/endpoints/prm-client';
import { EndpointError } from '../../../src/endpoints/endpoint-error';
import { postJson, postOptionsOf } from '../../../src/endpoints/json-post';
import { PoolingResponse, TokenizeResponse } from '../../../src/endpoints/vllm-replies';
import { createPrmClients } from '../../../src/endpoints/create-clients';
import { runSettingsFromFlags } from '../../../src/cli/commands/settings-flags';

const SKYWORK = 'Skywork/Skywork-o1-Open-PRM-Qwen-2.5-7B';
const question = 'What is $3 \\times 4$?';
// Steps ending in punctuation: tokenised with the "\n" after them, Qwen2 merges ".\n".
const steps = ['We multiply 3 by 4.', 'That gives 12.', 'The answer is \\boxed{12}.'];
/** The value head's raw output at a step token, by step text (a wrong step scores low). */
const logitOf = (step: string) => (step.includes('12') ? 1.5 : -2.5);

/** Skywork's reference `prepare_input`, written out with the real Qwen2 BPE. */
function referenceIds(q: string, ss: readonly string[]): { ids: number[]; at: number[] } {
  const ids = qwen2Encode(`${SKYWORK_BOS_TEXT}${q}\n`);
  const at: number[] = [];
  for (const s of ss) {
    ids.push(...qwen2Encode(s), QWEN2_NEWLINE_ID);
    at.push(ids.length - 1);
  }
  return { ids, at };
}

test('the test server tokenises with the real Qwen2 BPE: ".\\n" is one token, as in vLLM', async () => {
  assert.deepEqual(qwen2Encode('.\n'), [624]);
  assert.deepEqual(qwen2Encode('\n'), [QWEN2_NEWLINE_ID]);
  assert.deepEqual(qwen2Encode('We multiply 3 by 4.\n').at(-1), 624);
  assert.deepEqual(qwen2Encode('<|endoftext|>'), [151643]);
  const server = await startVllmServer({ kind: 'skywork-prm', servedModelName: SKYWORK });
  try {
    const reply = await postJson(`${server.url}/tokenize`, { model: SKYWORK, prompt: 'That gives 12.\n', return_token_strs: true }, TokenizeResponse, postOptionsOf({}));
    assert.equal(reply.tokens.at(-1), 624);
    assert.equal((reply as { token_strs?: string[] }).token_strs?.at(-1), '.\n');
  } finally {
    await server.close();
  }
});

describe('vllm-skywork-prm on a current vLLM (token_classify behind /pooling)', () => {
  let server: VllmServer;
  before(async () => {
    server = await startVllmServer({ kind: 'skywork-prm', servedModelName: SKYWORK, stepLogit: logitOf });
  });
  after(() => server.close());

  test('sends the reference input ids to /pooling and reads the activated value once, at the step token', async () => {
    const client = new SkyworkPrmClient({ baseURL: server.url, model: SKYWORK });
    const mark = server.requests.length;
    const scores = await client.scoreSteps(question, steps);
    const pooling = server.requests.slice(mark).filter((r) => r.path === '/pooling');
    assert.equal(pooling.length, 1);
    const { ids } = referenceIds(question, steps);
    assert.deepEqual(pooling[0]!.body, { model: SKYWORK, input: ids, task: 'token_classify', use_activation: true });
    assert.deepEqual(scores, steps.map((s) => sigmoid(logitOf(s))));
    // One sigmoid only: a wrong step is below 0.5, not squeezed into (0.5, 0.73).
    assert.ok(scores[0]! < 0.1);
  });

  test('the step token id is looked up once per client', async () => {
    const client = new SkyworkPrmClient({ baseURL: server.url, model: SKYWORK });
    const mark = server.requests.length;
    await client.scoreSteps('q', ['a']);
    await client.scoreSteps('q', ['b']);
    const prompts = server.requests.slice(mark).filter((r) => r.path === '/tokenize').map((r) => (r.body as { prompt: string }).prompt);
    assert.equal(prompts.filter((p) => p === '\n').length, 1);
  });

  test('/v1/embeddings is not served for token_classify: vLLM\'s 404, named with its URL', async () => {
    const client = new SkyworkPrmClient({ baseURL: server.url, model: SKYWORK, route: 'embeddings' });
    await assert.rejects(client.scoreSteps(question, steps), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.equal(e.status, 404);
      assert.match(e.message, new RegExp(`^${server.url}/v1/embeddings \\(404\\): Not Found`));
      return true;
    });
  });

  test('a wrong model name is vLLM\'s 404 with its message', async () => {
    const client = new SkyworkPrmClient({ baseURL: server.url, model: 'skywork' });
    await assert.rejects(client.scoreSteps(question, steps), /\(404\): The model `skywork` does not exist\./);
  });

  test('the server reads a different value where step + "\\n" was tokenised together', async () => {
    // What the client sent before: the step and its newline as one string.
    const merged = [...qwen2Encode(`${SKYWORK_BOS_TEXT}${question}\n`), ...steps.flatMap((s) => qwen2Encode(`${s}\n`))];
    const reply = await postJson(`${server.url}/pooling`, { model: SKYWORK, input: merged, task: 'token_classify' }, PoolingResponse, postOptionsOf({}));
    const rows = reply.data[0]!.data as number[][];
    assert.equal(rows.length, merged.length);
    // Every step ends in ".\n" (624), which is not the step token: the value there is not the step's.
    assert.ok(!merged.includes(QWEN2_NEWLINE_ID, qwen2Encode(`${SKYWORK_BOS_TEXT}${question}\n`).length));
    assert.notEqual(rows.at(-1)![0], sigmoid(logitOf(steps[2]!)));
  });
});

test('vllm-skywork-prm: over max_model_len is a 400 naming the token count and the limit', async () => {
  const server = await startVllmServer({ kind: 'skywork-prm', servedModelName: SKYWORK, maxModelLen: 20 });
  try {
    const client = new SkyworkPrmClient({ baseURL: server.url, model: SKYWORK });
    const { ids } = referenceIds(question, steps);
    await assert.rejects(client.scoreSteps(question, steps), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.equal(e.status, 400);
      assert.match(e.message, new RegExp(`/pooling \\(400\\): the question and steps are ${ids.length} tokens, over the server's max_model_len of 20; this response is not scored`));
      return true;
    });
  } finally {
    await server.close();
  }
});

test('vllm-skywork-prm with route embeddings: Skywork\'s vLLM 0.6 plugin returns the raw head; the sigmoid is applied here', async () => {
  const server = await startVllmServer({ kind: 'skywork-prm-legacy', servedModelName: SKYWORK, stepLogit: logitOf, errorShape: 'flat' });
  try {
    const client = new SkyworkPrmClient({ baseURL: `${server.url}/v1`, model: SKYWORK, route: 'embeddings' });
    assert.deepEqual(await client.scoreSteps(question, steps), steps.map((s) => sigmoid(logitOf(s))));
    const body = server.requests.find((r) => r.path === '/v1/embeddings')!.body;
    assert.deepEqual(body, { model: SKYWORK, input: referenceIds(question, steps).ids });
    // That server has no /pooling.
    await assert.rejects(new SkyworkPrmClient({ baseURL: server.url, model: SKYWORK }).scoreSteps(question, steps), /\/pooling \(404\)/);
  } finally {
    await server.close();
  }
});

describe('vllm-qwen-prm on a current vLLM (Qwen2ForProcessRewardModel)', () => {
  const QWEN = 'Qwen/Qwen2.5-Math-PRM-7B';
  let server: VllmServer;
  const seen: string[] = [];
  before(async () => {
    server = await startVllmServer({
      kind: 'qwen-prm',
      servedModelName: QWEN,
      maxModelLen: 200,
      stepProbability: (_q, step) => (seen.push(step), step.includes('12') ? 0.9 : 0.2),
    });
  });
  after(() => server.close());

  test('p(positive) per step, rows counted by the server at each <extra_0>', async () => {
    seen.length = 0;
    const scores = await new QwenPrmClient({ baseURL: server.url, model: QWEN }).scoreSteps(question, steps);
    assert.deepEqual(seen, steps);
    assert.deepEqual(scores.map((s) => +s.toFixed(9)), [0.2, 0.9, 0.9]);
  });

  test('a step tag inside the question does not add a row', async () => {
    const scores = await new QwenPrmClient({ baseURL: server.url, model: QWEN }).scoreSteps('Is <extra_0> a tag?', ['Yes, 12.', 'No.']);
    assert.deepEqual(scores.map((s) => +s.toFixed(9)), [0.9, 0.2]);
  });

  test('over max_model_len: a 400 naming the server\'s token count and limit', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Step ${i} adds one more to the running total.`);
    await assert.rejects(new QwenPrmClient({ baseURL: server.url, model: QWEN }).scoreSteps(question, long), (e: unknown) => {
      assert.ok(e instanceof EndpointError);
      assert.equal(e.status, 400);
      assert.match(e.message, /the question and 40 steps are \d+ tokens, over the server's max_model_len of 200; this response is not scored$/);
      return true;
    });
  });
});

test('prm.route picks the Skywork route: /pooling by default, set by the setting and the --prm-route flag', () => {
  const base = { protocol: 'vllm-skywork-prm', baseURLs: ['http://127.0.0.1:8001/v1'], model: SKYWORK };
  assert.equal(createPrmClients(base)[0]!.url, 'http://127.0.0.1:8001/pooling');
  assert.equal(createPrmClients({ ...base, route: 'embeddings' })[0]!.url, 'http://127.0.0.1:8001/v1/embeddings');
  const dataset = { path: 'd.jsonl', sha256: 'a'.repeat(64), badLines: 'stop' as const };
  const flags = { 'prm-protocol': 'vllm-skywork-prm', 'prm-url': ['http://127.0.0.1:8001'], 'prm-model': SKYWORK };
  assert.equal(runSettingsFromFlags({ ...flags, 'prm-route': 'embeddings' }, dataset).prm.route, 'embeddings');
  assert.throws(() => runSettingsFromFlags({ ...flags, 'prm-route': 'v1' }, dataset), /^UsageError: --prm-route: /);
});
