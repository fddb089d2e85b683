import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { createPolicySamplers, createPrmClients, createRewardClients } from '../../../src/endpoints/create-clients';
import { resolveApiKey } from '../../../src/endpoints/api-key';

const userError = (where: string, text: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UserError, String(e));
  assert.equal(e.where, where);
  assert.match(e.message, text);
  return true;
};

test('unknown PRM protocol names prm.protocol and lists the known ones', () => {
  assert.throws(
    () => createPrmClients({ protocol: 'vllm-math-shepherd', baseURLs: ['http://127.0.0.1:1'], model: 'm' }),
    userError('prm.protocol', /expected one of "vllm-qwen-prm", "vllm-skywork-prm", "http-json", "none"/),
  );
});

test('unknown reward protocol names reward.protocol', () => {
  assert.throws(() => createRewardClients({ protocol: 'grpc', baseURLs: [], model: '' }), userError('reward.protocol', /unknown value/));
});

test('a bad URL names the exact list entry', () => {
  assert.throws(
    () => createPolicySamplers({ baseURLs: ['http://127.0.0.1:8000/v1', 'localhost:8000'], model: 'm' }),
    userError('policy.baseURLs[1]', /URL/i),
  );
  assert.throws(
    () => createPrmClients({ protocol: 'vllm-qwen-prm', baseURLs: ['ftp://host/x'], model: 'm' }),
    userError('prm.baseURLs[0]', /http/),
  );
});

test('a missing model names the model setting', () => {
  assert.throws(() => createPolicySamplers({ baseURLs: ['http://127.0.0.1:8000/v1'] }), userError('policy.model', /./));
  assert.throws(
    () => createPrmClients({ protocol: 'vllm-skywork-prm', baseURLs: ['http://127.0.0.1:8000'], model: '' }),
    userError('prm.model', /model name is required/),
  );
  assert.throws(() => createPrmClients({ protocol: 'vllm-qwen-prm', baseURLs: [], model: 'm' }), userError('prm.baseURLs', /at least one URL/));
});

test('valid settings give one client per base URL; none gives none', () => {
  const samplers = createPolicySamplers({ baseURLs: ['http://127.0.0.1:1/v1', 'http://127.0.0.1:2/v1'], model: 'm', api: 'completions' });
  assert.deepEqual(samplers.map((s) => s.url), ['http://127.0.0.1:1/v1/completions', 'http://127.0.0.1:2/v1/completions']);
  assert.deepEqual(createPrmClients({ protocol: 'none' }), []);
  const prm = createPrmClients({ protocol: 'vllm-qwen-prm', baseURLs: ['http://127.0.0.1:3'], model: 'q' });
  assert.equal(prm[0]!.url, 'http://127.0.0.1:3/pooling');
  const http = createPrmClients({ protocol: 'http-json', baseURLs: ['http://127.0.0.1:4/score'] });
  assert.equal(http[0]!.url, 'http://127.0.0.1:4/score');
});

test('apiKeyEnv: a named but unset variable is an error naming the setting, never a value', () => {
  assert.equal(resolveApiKey(undefined, 'policy.apiKeyEnv', {}), undefined);
  assert.equal(resolveApiKey('MY_KEY', 'policy.apiKeyEnv', { MY_KEY: 'sk-1' }), 'sk-1');
  assert.throws(() => resolveApiKey('MY_KEY', 'policy.apiKeyEnv', {}), userError('policy.apiKeyEnv', /MY_KEY is not set/));
});
