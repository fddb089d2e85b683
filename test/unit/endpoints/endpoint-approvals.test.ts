/**
 * Which URLs a run sends requests to, in the one spelling the clients request, and which of
 * them this machine's approvals cover: every endpoint in use, with its key variable or none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunSettings } from '../../../src/core/schema/index';
import { canonicalUrl, describeDestination, endpointDestinations, unapprovedDestinations } from '../../../src/core/key-destinations';
import { approveEndpoints, approvalsFile, readKeyApprovals } from '../../../src/store/key-approvals';
import { createPolicySamplers, createPrmClients } from '../../../src/endpoints/create-clients';
import { resolveApiKey } from '../../../src/endpoints/api-key';

const settings = (extra: Record<string, unknown> = {}) =>
  RunSettings.parse({
    formatVersion: 1,
    dataset: { path: 'd.jsonl', sha256: 'a'.repeat(64) },
    policy: { baseURLs: ['HTTP://LocalHost:8000/v1/', 'https://Api.Example.COM:443/v1'], model: 'p', apiKeyEnv: 'POLICY_KEY' },
    prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:8001/a/../prm'], model: '' },
    budget: { N: 4, presample: 2 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    ...extra,
  });

test('one spelling per URL, from the WHATWG parser: scheme and host lower-cased, default port, dot segments and trailing slashes dropped', () => {
  assert.equal(canonicalUrl('HTTP://LocalHost:8000/v1/'), 'http://localhost:8000/v1');
  assert.equal(canonicalUrl('https://Api.Example.COM:443/v1'), 'https://api.example.com/v1');
  assert.equal(canonicalUrl('http://127.0.0.1:8001/a/../prm'), 'http://127.0.0.1:8001/prm');
  assert.equal(canonicalUrl('http://h:1/'), 'http://h:1');
});

test('every endpoint in use is a destination, with its key variable or none; an endpoint set to none is not', () => {
  const all = endpointDestinations(settings());
  assert.deepEqual(all.map(describeDestination), [
    'policy: $POLICY_KEY -> http://localhost:8000/v1',
    'policy: $POLICY_KEY -> https://api.example.com/v1',
    'prm: no key -> http://127.0.0.1:8001/prm',
  ]);
  assert.deepEqual(endpointDestinations(settings({ prm: { protocol: 'none', baseURLs: ['http://x:1'], model: '' } })).map((d) => d.endpoint), ['policy', 'policy']);
});

test('the clients request the URL as the approval spells it', () => {
  const s = settings();
  const [local, remote] = createPolicySamplers(s.policy);
  assert.equal(local!.url, 'http://localhost:8000/v1/chat/completions');
  assert.equal(remote!.url, 'https://api.example.com/v1/chat/completions');
  assert.equal(createPrmClients(s.prm)[0]!.url, 'http://127.0.0.1:8001/prm');
  for (const d of endpointDestinations(s)) assert.ok([local!.url, remote!.url, 'http://127.0.0.1:8001/prm'].some((u) => u.startsWith(d.url)));
});

test('an approval covers one URL with one key variable, or with none; nothing looser', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-approvals-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { HSSTAR_CONFIG_DIR: dir };
  const all = endpointDestinations(settings());
  assert.equal(unapprovedDestinations(all, readKeyApprovals(env)).length, 3, 'nothing approved yet, the keyless PRM included');
  await approveEndpoints(env, [all[0]!, all[2]!]);
  assert.deepEqual(unapprovedDestinations(all, readKeyApprovals(env)), [all[1]]);
  // The same URLs spelled otherwise are the same approvals.
  const respelled = endpointDestinations(settings({ policy: { baseURLs: ['http://localhost:8000/v1'], model: 'p', apiKeyEnv: 'POLICY_KEY' } }));
  assert.deepEqual(unapprovedDestinations(respelled, readKeyApprovals(env)), []);
  // A key added to the approved keyless PRM is a new destination; so is another variable.
  const keyed = endpointDestinations(settings({ prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:8001/prm'], model: '', apiKeyEnv: 'POLICY_KEY' } }));
  assert.deepEqual(unapprovedDestinations(keyed, readKeyApprovals(env)).map(describeDestination), ['policy: $POLICY_KEY -> https://api.example.com/v1', 'prm: $POLICY_KEY -> http://127.0.0.1:8001/prm']);
  const file = approvalsFile(env);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { approvals: { keyEnv?: string; url: string }[] }).approvals.map((a) => [a.keyEnv, a.url]), [
    ['POLICY_KEY', 'http://localhost:8000/v1'],
    [undefined, 'http://127.0.0.1:8001/prm'],
  ]);
});

test('under the test runner the user\'s own config folder is refused', () => {
  assert.throws(() => approvalsFile({}), /a test must set its own config folder/);
  assert.equal(approvalsFile({ HSSTAR_CONFIG_DIR: '/tmp/x' }), '/tmp/x/approved-keys.json');
});

test('one key lookup: no variable named, no key; a named variable unset or empty is an error naming the setting', () => {
  assert.equal(resolveApiKey(undefined, 'policy.apiKeyEnv', {}), undefined);
  assert.equal(resolveApiKey('K', 'prm.apiKeyEnv', { K: 'sk-1' }), 'sk-1');
  for (const env of [{}, { K: '' }]) assert.throws(() => resolveApiKey('K', 'reward.apiKeyEnv', env), /reward\.apiKeyEnv: environment variable K is not set/);
});
