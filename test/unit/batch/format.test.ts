import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeCustomId,
  decodeCustomId,
  batchRequestLine,
  chunkSlots,
  BatchInputLine,
  readOutputLine,
  userPrompt,
} from '../../../src/core/batch/index';
import { PolicySettings } from '../../../src/core/schema/settings';
import { requestSeed } from '../../../src/core/request-seed';

const policy = PolicySettings.parse({ baseURLs: ['http://127.0.0.1:9/v1'], model: 'qwen-7b', nPerRequest: 4, seed: 7 });
const ctx = { presample: 3, round: 0, model: 'qwen-7b', at: '2026-01-01T00:00:00.000Z' };

test('custom ids round-trip, including problem ids that contain colons and commas', () => {
  for (const t of [
    { problemId: 'math500:12', slots: [0] },
    { problemId: 'a,b:c', slots: [3, 4, 5, 6] },
    { problemId: 'x', slots: [7] },
  ]) {
    assert.deepEqual(decodeCustomId(encodeCustomId(t)), t);
  }
});

test('custom ids not written by the exporter are refused', () => {
  for (const bad of ['request-1', 'hsstar:', 'hsstar::1', 'hsstar:p:', 'hsstar:p:1,,2', 'hsstar:p:-1', 'hsstar:p:1,1', 'hsstar:p:1e3', 'hsstar:p:99999999999999999999']) {
    assert.equal(decodeCustomId(bad), null, bad);
  }
});

test('a chat batch line carries the run prompt and sampling settings and parses as an input line', () => {
  const line = batchRequestLine(policy, 'What is $1+1$?', { problemId: 'p1', slots: [0, 1, 2] });
  assert.equal(line.custom_id, 'hsstar:p1:0,1,2');
  assert.equal(line.url, '/v1/chat/completions');
  assert.equal(line.method, 'POST');
  assert.ok('messages' in line.body);
  assert.deepEqual(line.body.messages.map((m) => m.role), ['system', 'user']);
  assert.equal(line.body.messages[1]!.content, 'What is $1+1$?');
  assert.equal(line.body.n, 3);
  assert.equal(line.body.temperature, 0.7);
  assert.equal(line.body.top_p, 0.95);
  assert.equal(line.body.max_tokens, 2048);
  // Each request its own seed, as live sampling sends it (requestSeed of the run seed, problem, first slot).
  assert.equal(line.body.seed, requestSeed(7, 'p1', 0));
  assert.notEqual(batchRequestLine(policy, 'What is $1+1$?', { problemId: 'p1', slots: [3] }).body.seed, line.body.seed);
  assert.deepEqual(BatchInputLine.parse(JSON.parse(JSON.stringify(line))), line);
});

test('the prompt template keeps $-patterns of a question literally', () => {
  assert.equal(userPrompt({ promptTemplate: 'Q: {question}' }, "cost $& and $1, $'"), "Q: cost $& and $1, $'");
});

test('a completions-api run writes /v1/completions lines with a prompt', () => {
  const base = PolicySettings.parse({ baseURLs: ['http://127.0.0.1:9/v1'], model: 'base', api: 'completions' });
  const line = batchRequestLine(base, '2+2?', { problemId: 'p', slots: [5] });
  assert.equal(line.url, '/v1/completions');
  assert.ok('prompt' in line.body && line.body.prompt === '2+2?');
});

test('slots are chunked by n per request', () => {
  assert.deepEqual(
    chunkSlots('p', [3, 4, 5, 6, 7, 8], 4).map((t) => t.slots),
    [
      [3, 4, 5, 6],
      [7, 8],
    ],
  );
  assert.deepEqual(chunkSlots('p', [1], 0).map((t) => t.slots), [[1]]);
});

function okLine(customId: string, texts: string[], usage = { prompt_tokens: 10, completion_tokens: 7 }) {
  return {
    id: 'batch_req_1',
    custom_id: customId,
    response: {
      status_code: 200,
      request_id: 'req_1',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'served-model',
        choices: texts.map((t, i) => ({ index: i, message: { role: 'assistant', content: t }, finish_reason: i === 1 ? 'length' : 'stop' })),
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      },
    },
    error: null,
  };
}

test('an output line becomes one response per slot, pre/re by slot, completion tokens split exactly', () => {
  const out = readOutputLine(okLine('hsstar:p:2,3', ['a', 'b']), ctx);
  assert.equal(out.kind, 'responses');
  if (out.kind !== 'responses') return;
  assert.deepEqual(out.responses.map((r) => [r.id, r.stage, r.text, r.finishReason]), [
    ['p:2', 'pre', 'a', 'stop'],
    ['p:3', 're', 'b', 'length'],
  ]);
  assert.deepEqual(out.responses.map((r) => r.usage.prompt), [10, 10]);
  assert.equal(out.responses.reduce((s, r) => s + r.usage.completion, 0), 7);
  assert.equal(out.responses[0]!.model, 'served-model');
});

test('choices out of order are matched by index', () => {
  const line = okLine('hsstar:p:0,1', ['first', 'second']);
  line.response.body.choices.reverse();
  const out = readOutputLine(line, ctx);
  assert.ok(out.kind === 'responses');
  assert.deepEqual(out.responses.map((r) => r.text), ['first', 'second']);
});

test('errors, non-200 replies and lying choice counts are failures, not responses', () => {
  const errored = { id: 'x', custom_id: 'hsstar:p:0', response: null, error: { code: 'batch_expired', message: 'expired' } };
  assert.deepEqual(readOutputLine(errored, ctx), { kind: 'failure', target: { problemId: 'p', slots: [0] }, status: null, message: 'batch_expired: expired' });

  const http400 = { id: 'x', custom_id: 'hsstar:p:0', response: { status_code: 400, request_id: 'r', body: { error: { message: 'max_tokens too large' } } }, error: null };
  const f = readOutputLine(http400, ctx);
  assert.equal(f.kind, 'failure');
  assert.ok(f.kind === 'failure' && f.status === 400 && f.message === 'max_tokens too large');

  const short = readOutputLine(okLine('hsstar:p:0,1,2', ['only one']), ctx);
  assert.ok(short.kind === 'failure' && /1 choices for 3/.test(short.message));

  const extra = readOutputLine(okLine('hsstar:p:0', ['a', 'b']), ctx);
  assert.ok(extra.kind === 'failure' && /2 choices for 1/.test(extra.message));

  const noChoices = { id: 'x', custom_id: 'hsstar:p:0', response: { status_code: 200, request_id: 'r', body: { object: 'chat.completion' } }, error: null };
  assert.equal(readOutputLine(noChoices, ctx).kind, 'failure');
});

test('lines that are not batch output, or foreign custom ids, are invalid', () => {
  // Neither a reply nor an error: nothing was bought, so the slot stays pending (a failure record).
  assert.equal(readOutputLine({ custom_id: 'hsstar:p:0' }, ctx).kind, 'failure');
  assert.equal(readOutputLine([1, 2], ctx).kind, 'invalid');
  assert.equal(readOutputLine(null, ctx).kind, 'invalid');
  const foreign = readOutputLine(okLine('request-1', ['a']), ctx);
  assert.ok(foreign.kind === 'invalid' && /not written by hsstar/.test(foreign.message));
});

test('pending requests: RDE asks for missing pre-sample slots, re-sampling for the planned rest', async () => {
  const { pendingRequests, slotLimit } = await import('../../../src/core/batch/pending');
  const view = (slot: number) => ({ response: { slot } });
  const state = {
    settings: { budget: { presample: 3 }, policy: { nPerRequest: 4 } },
    problems: [
      { problem: { id: 'a' }, effective: 'boundary', responses: [view(0), view(1), view(2), view(4)] },
      { problem: { id: 'b' }, effective: 'inlier', responses: [view(0), view(1), view(2)] },
      { problem: { id: 'c' }, effective: 'unlabelled', responses: [view(1)] },
    ],
    budget: { plan: { targets: new Map([['a', 10], ['b', 3], ['c', 3]]) } },
  };
  const rde = pendingRequests(state, 'rde');
  assert.deepEqual(rde.requests, [{ problemId: 'c', slots: [0, 2] }]);
  assert.equal(rde.samples, 2);
  assert.equal(rde.missingPresamples, 1);
  assert.equal(rde.unlabelled, 1);
  const re = pendingRequests(state, 'resample');
  // a has slots 0-2 and 4; its target is 10, so 3 and 5..9 are missing, in requests of at most 4.
  assert.deepEqual(re.requests, [
    { problemId: 'a', slots: [3, 5, 6, 7] },
    { problemId: 'a', slots: [8, 9] },
  ]);
  assert.equal(re.samples, 6);
  assert.equal(slotLimit(state, 'a'), 10);
  assert.equal(slotLimit(state, 'b'), 3);
  assert.equal(slotLimit(state, 'zzz'), 3);
});

test('a request line (the input file imported by mistake) is refused, not recorded as a failure', () => {
  const line = batchRequestLine(policy, 'q', { problemId: 'p', slots: [0] });
  const out = readOutputLine(JSON.parse(JSON.stringify(line)), ctx);
  assert.ok(out.kind === 'invalid' && /request line of a batch input file/.test(out.message));
});
