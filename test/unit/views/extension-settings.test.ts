import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { UserError } from '../../../src/core/errors';
import { parseExtensionSettings, runSettingsFromExtension, SETTING_KEYS } from '../../../src/views/extension-settings';
import { TREE_PAGE_SIZE, treePageSizeOf } from '../../../src/views/tree-page-size';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const dataset = { path: '/data/math500.jsonl', sha256: 'b'.repeat(64), badLines: 'stop' as const };

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

test('every setting read is declared in the manifest, and the endpoint settings are restricted in untrusted workspaces', () => {
  const declared = Object.keys(manifest.contributes.configuration.properties);
  assert.deepEqual([...SETTING_KEYS].sort(), [...declared].sort());
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const k of ['hsstar.policy.baseURLs', 'hsstar.prm.baseURLs', 'hsstar.reward.baseURLs']) assert.ok(restricted.includes(k), k);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(!declared.some((k) => /apiKey$|secret|token$/i.test(k)), 'no setting holds a key');
});

test('the manifest defaults and the parsed defaults agree', () => {
  const { settings, problems } = parseExtensionSettings(reader({}));
  assert.deepEqual(problems, []);
  for (const [key, spec] of Object.entries(manifest.contributes.configuration.properties as Record<string, { default: unknown }>)) {
    const [, section, name] = key.split('.');
    assert.deepEqual((settings as unknown as Record<string, Record<string, unknown>>)[section!]![name!], spec.default, key);
  }
});

test('a bad value falls back to its default and is reported with its key', () => {
  const { settings, problems } = parseExtensionSettings(reader({ 'sampling.temperature': 9, 'budget.N': 'eight', 'policy.apiKeyEnv': 'not a name', 'thresholds.tauLow': 0.3 }));
  assert.equal(settings.sampling.temperature, 0.7);
  assert.equal(settings.budget.N, 8);
  assert.equal(settings.policy.apiKeyEnv, '');
  assert.equal(settings.thresholds.tauLow, 0.3);
  assert.equal(problems.length, 3);
  assert.match(problems.join('\n'), /hsstar\.sampling\.temperature/);
  assert.match(problems.join('\n'), /hsstar\.budget\.N/);
  assert.match(problems.join('\n'), /hsstar\.policy\.apiKeyEnv/);
});

test('a run snapshot carries the endpoints and sampling, and only the name of a key variable', () => {
  const { settings } = parseExtensionSettings(
    reader({ 'policy.model': 'qwen', 'policy.apiKeyEnv': 'MY_KEY', 'prm.protocol': 'vllm-qwen-prm', 'prm.baseURLs': ['http://127.0.0.1:8001/v1'], 'prm.model': 'prm', 'sampling.maxTokens': 1024 }),
  );
  const run = runSettingsFromExtension(settings, dataset, 7);
  assert.equal(run.policy.model, 'qwen');
  assert.equal(run.policy.apiKeyEnv, 'MY_KEY');
  assert.equal(run.policy.maxTokens, 1024);
  assert.equal(run.prm.protocol, 'vllm-qwen-prm');
  assert.equal(run.seed, 7);
  assert.equal(run.prm.apiKeyEnv, undefined);
});

test('settings that cannot make a run name the setting to fix', () => {
  const { settings } = parseExtensionSettings(reader({ 'policy.model': '' }));
  assert.throws(() => runSettingsFromExtension(settings, dataset), (e: unknown) => e instanceof UserError && e.where === 'hsstar.policy.model');
  const bad = parseExtensionSettings(reader({ 'policy.model': 'm', 'policy.baseURLs': ['ftp://x'] })).settings;
  assert.throws(() => runSettingsFromExtension(bad, dataset), (e: unknown) => e instanceof UserError && e.where === 'hsstar.policy.baseURLs');
  const inverted = parseExtensionSettings(reader({ 'policy.model': 'm', 'thresholds.tauLow': 0.9, 'thresholds.tauHigh': 0.1 })).settings;
  assert.throws(() => runSettingsFromExtension(inverted, dataset), (e: unknown) => e instanceof UserError && e.where === 'hsstar.thresholds.tauLow');
});

test('hsstar.prm.route reaches a Skywork run (default pooling) and only a Skywork run', () => {
  const base = { 'policy.model': 'p', 'prm.baseURLs': ['http://127.0.0.1:8001'], 'prm.model': 'Skywork/Skywork-o1-Open-PRM-Qwen-2.5-7B' };
  const run = (values: Record<string, unknown>) => runSettingsFromExtension(parseExtensionSettings(reader({ ...base, ...values })).settings, dataset);
  assert.equal(run({ 'prm.protocol': 'vllm-skywork-prm' }).prm.route, 'pooling');
  assert.equal(run({ 'prm.protocol': 'vllm-skywork-prm', 'prm.route': 'embeddings' }).prm.route, 'embeddings');
  assert.equal(run({ 'prm.protocol': 'vllm-qwen-prm', 'prm.route': 'embeddings' }).prm.route, undefined);
  assert.deepEqual(parseExtensionSettings(reader({ 'prm.route': 'v1' })).problems, ['hsstar.prm.route: Invalid option: expected one of "pooling"|"embeddings"; using the default']);
});

test('the tree page size read at activation keeps the rule the schema and the manifest declare', () => {
  const spec = manifest.contributes.configuration.properties['hsstar.tree.pageSize'];
  assert.deepEqual({ min: spec.minimum, max: spec.maximum, default: spec.default }, { ...TREE_PAGE_SIZE });
  for (const v of [49, 50, 777, 5_000, 5_001, 100.5, '600', null, undefined]) {
    const schema = parseExtensionSettings(reader({ 'tree.pageSize': v })).settings.tree.pageSize;
    assert.equal(treePageSizeOf(v), schema, String(v));
  }
});
