import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../../src/pipeline/demo/run-demo';
import { demoEndpoints } from '../../../src/pipeline/demo/demo-endpoints';
import { createClients } from '../../../src/pipeline/clients';
import { testConfigEnv } from '../../support/user-config';
import { RunSettings } from '../../../src/core/schema/index';

test('a demo run gets a fresh replay server for later work; any other run gets none', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-demo-endpoints-'));
  try {
    const env = testConfigEnv();
    const built = await runDemo(join(root, 'demo'), env);
    const recorded = built.state.settings;
    const demo = await demoEndpoints(recorded, env);
    assert.ok(demo, 'the demo run is recognised');
    try {
      assert.notDeepEqual(demo.settings.policy.baseURLs, recorded.policy.baseURLs, 'the dead replay URL is replaced');
      assert.equal(recorded.policy.baseURLs[0], built.state.settings.policy.baseURLs[0], 'the recorded settings are untouched');
      const clients = createClients(demo.settings, env);
      const question = built.state.problems[0]!.problem.question;
      const batch = await clients.policy[0]!.sample(question, 2);
      assert.equal(batch.samples.length, 2);
      assert.ok(batch.samples.every((s) => s.text.length > 0));
      // The replay scores only recorded responses: ask for one of them.
      const steps = built.state.problems[0]!.responses[0]!.steps;
      const scores = await clients.prm[0]!.scoreSteps(question, steps);
      assert.equal(scores.length, steps.length);
    } finally {
      await demo.close();
    }
    const other = RunSettings.parse({ ...recorded, policy: { ...recorded.policy, model: 'qwen' } });
    assert.equal(await demoEndpoints(other, env), null);
    const otherData = RunSettings.parse({ ...recorded, dataset: { ...recorded.dataset, sha256: 'c'.repeat(64) } });
    assert.equal(await demoEndpoints(otherData, env), null);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
