import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunSettings, CuratorEvent } from '../../../src/core/schema/index';

const minimal = {
  formatVersion: 1,
  dataset: { path: 'data.jsonl', sha256: 'a'.repeat(64) },
  policy: { baseURLs: ['http://127.0.0.1:8000/v1'], model: 'policy' },
  budget: { N: 8, presample: 3 },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
};

test('run settings fill the reference defaults', () => {
  const s = RunSettings.parse(minimal);
  assert.equal(s.policy.temperature, 0.7);
  assert.equal(s.policy.topP, 0.95);
  assert.equal(s.policy.maxTokens, 2048);
  assert.equal(s.seed, 1234);
  assert.equal(s.stepSeparator, '\n\n');
  assert.equal(s.prm.protocol, 'none');
});

test('run settings refuse presample > N, inverted thresholds, keys and bad URLs', () => {
  assert.throws(() => RunSettings.parse({ ...minimal, budget: { N: 2, presample: 3 } }), /presample/);
  assert.throws(() => RunSettings.parse({ ...minimal, thresholds: { tauLow: 0.7, tauHigh: 0.2 } }), /tauLow/);
  assert.throws(() => RunSettings.parse({ ...minimal, policy: { ...minimal.policy, apiKey: 'sk-secret' } }));
  assert.throws(() => RunSettings.parse({ ...minimal, policy: { ...minimal.policy, baseURLs: ['ftp://x'] } }), /http/);
});

test('curator events are discriminated by type and need a reason to override', () => {
  const base = { id: 'e1', at: '2026-01-01T00:00:00Z', author: 'ann' };
  assert.equal(CuratorEvent.parse({ ...base, type: 'label-override', problemId: 'p', label: 'inlier', reason: 'easy' }).type, 'label-override');
  assert.throws(() => CuratorEvent.parse({ ...base, type: 'label-override', problemId: 'p', label: 'inlier', reason: '' }));
  assert.throws(() => CuratorEvent.parse({ ...base, type: 'explode' }));
});
