import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRADER_VERSION } from '../../../src/core/answer/index';
import { createClients } from '../../../src/pipeline/clients';
import { runPipeline } from '../../../src/pipeline/run-pipeline';
import { stateOf } from '../../../src/pipeline/derive-from-store';
import { planSummary } from '../../../src/pipeline/plan-summary';
import type { PipelineEvent } from '../../../src/pipeline/pipeline-events';
import { ProjectStore } from '../../../src/store/project';
import { approveEndpoints } from '../../../src/store/key-approvals';
import { endpointDestinations } from '../../../src/core/key-destinations';
import { approvedClients } from '../../support/user-config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, fixtureServer, fixtureSettings, tempDir } from './run-fixture';

const fast = { baseMs: 1, maxMs: 5 };

test('all stages: labels, plan, exactly N·|D| responses bought, pairs', async () => {
  const server = await fixtureServer();
  const { dir, cleanup } = await tempDir();
  try {
    const settings = fixtureSettings(server);
    const store = await createStore(dir, settings);
    const events: PipelineEvent[] = [];
    const result = await runPipeline({ store, clients: await approvedClients(settings), retry: fast, onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'completed');
    const s = result.state;
    assert.deepEqual(
      s.problems.map((p) => [p.problem.id, p.effective, p.phiA, p.responses.length, p.correct]),
      [
        ['q0', 'inlier', 1, 2, 2],
        ['q1', 'outlier', 0, 2, 0],
        // B = (4 − 2) × 4 = 8 over 2 Boundary problems: 4 more each.
        ['q2', 'boundary', 0.5, 6, 3],
        ['q3', 'boundary', 0.5, 6, 3],
      ],
    );
    assert.ok(Math.abs(s.byId.get('q0')!.phiR! - 0.9) < 1e-9);
    assert.ok(Math.abs(s.byId.get('q1')!.phiR! - 0.1) < 1e-9);
    assert.equal(server.stats.samplesServed, 16);
    assert.deepEqual([s.budget.spent, s.budget.planned], [16, 16]);
    // 3 correct × 3 wrong per Boundary problem: K = 3 pairs each.
    assert.equal(s.pairs.length, 6);
    for (const p of s.pairs) {
      assert.equal(s.byId.get(p.problemId)!.responses.find((v) => v.response.id === p.chosenId)!.grade!.correct, true);
      assert.equal(s.byId.get(p.problemId)!.responses.find((v) => v.response.id === p.rejectedId)!.grade!.correct, false);
    }
    // Every response graded by this grader, PRM- and reward-scored; re-samples marked as such.
    for (const p of s.problems)
      for (const v of p.responses) {
        assert.equal(v.grade!.grader, GRADER_VERSION);
        assert.equal(v.stepScores!.length, 3);
        assert.equal(v.reward, v.grade!.correct ? 2 : -2);
        assert.equal(v.response.stage, v.response.slot < 2 ? 'pre' : 're');
      }
    assert.deepEqual(
      events.filter((e) => e.kind === 'task-end').map((e) => (e.kind === 'task-end' ? `${e.stage}/${e.task}:${e.progress.done}` : '')),
      ['rde/sample:8', 'rde/prm:8', 'rde/reward:8', 'resample/sample:8', 'resample/prm:8', 'resample/reward:8'],
    );
    // Running again buys nothing.
    await runPipeline({ store, clients: await approvedClients(settings), retry: fast });
    assert.equal(server.stats.samplesServed, 16);
    assert.equal(server.stats.completed['/prm'], 16);
    await store.close();
  } finally {
    await server.close();
    await cleanup();
  }
});

test('the dry run plans before anything is bought, then from the labels', async () => {
  const server = await fixtureServer();
  const { dir, cleanup } = await tempDir();
  try {
    const settings = fixtureSettings(server, { prices: { promptPerMTok: 1, completionPerMTok: 2 } });
    const store = await createStore(dir, settings);
    const before = planSummary(stateOf(store));
    assert.equal(before.presamplesMissing, 8);
    assert.equal(before.estimate.known, false);
    assert.deepEqual(before.labels, { inlier: 0, outlier: 0, boundary: 0, unlabelled: 4 });
    await runPipeline({ store, clients: await approvedClients(settings), retry: fast }, 'rde');
    const after = planSummary(stateOf(store));
    assert.equal(server.stats.samplesServed, 8);
    assert.equal(after.presamplesMissing, 0);
    assert.equal(after.resamplesMissing, 8);
    assert.deepEqual(after.perBoundary, [{ responses: 6, problems: 2 }]);
    assert.deepEqual([after.spent, after.planned], [8, 16]);
    // Mean usage of the 8 pre-samples times 8 missing responses.
    const responses = stateOf(store).problems.flatMap((p) => p.responses.map((v) => v.response.usage));
    const meanCompletion = responses.reduce((a, u) => a + u.completion, 0) / responses.length;
    assert.equal(after.estimate.completionTokens, Math.round(meanCompletion * 8));
    assert.ok(after.estimate.known && after.estimate.cost > 0);
    await store.close();
  } finally {
    await server.close();
    await cleanup();
  }
});

test('cancel, then run again: continues and never buys a slot twice', async () => {
  const server = await fixtureServer({ latencyMs: 15 });
  const { dir, cleanup } = await tempDir();
  try {
    const settings = fixtureSettings(server, { concurrency: { policy: 1, prm: 1, reward: 1 } });
    const store = await createStore(dir, settings);
    const controller = new AbortController();
    const first = await runPipeline({
      store,
      clients: await approvedClients(settings),
      retry: fast,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.kind === 'progress' && e.task === 'sample' && e.progress.done >= 4) controller.abort();
      },
    });
    assert.equal(first.status, 'cancelled');
    const bought = stateOf(store).budget.spent;
    assert.ok(bought >= 4 && bought < 16, `bought ${bought}`);
    const second = await runPipeline({ store, clients: await approvedClients(settings), retry: fast });
    assert.equal(second.status, 'completed');
    assert.equal(second.state.budget.spent, 16);
    assert.equal(server.stats.samplesServed, 16);
    await store.close();
    // The logs reopen to the same state.
    const { store: again } = await ProjectStore.open(`${dir}/run`, { write: false });
    assert.equal(stateOf(again).pairs.length, 6);
    await again.close();
  } finally {
    await server.close();
    await cleanup();
  }
});

test('a PRM request that fails for good is recorded, and the next run scores it', async () => {
  const server = await fixtureServer();
  const { dir, cleanup } = await tempDir();
  try {
    const settings = fixtureSettings(server, { reward: { protocol: 'none' } });
    const store = await createStore(dir, settings);
    server.setFaults({ kind: 'status', status: 400, route: '/prm', times: 1 });
    const first = await runPipeline({ store, clients: await approvedClients(settings), retry: fast }, 'rde');
    assert.equal(first.failed, 1);
    assert.equal(store.failures().length, 1);
    assert.equal(store.failures()[0]!.endpoint, 'prm');
    assert.match(store.failures()[0]!.url, /\/prm$/);
    // The problem with an unscored pre-sample still has a phi_r from the other one.
    assert.equal(stateOf(store).problems.filter((p) => p.phiR === null).length, 0);
    const second = await runPipeline({ store, clients: await approvedClients(settings), retry: fast }, 'rde');
    assert.equal(second.failed, 0);
    assert.equal(server.stats.completed['/prm'], 8);
    await store.close();
  } finally {
    await server.close();
    await cleanup();
  }
});

test('without a PRM, accuracy alone labels and the run still completes', async () => {
  const server = await fixtureServer();
  const { dir, cleanup } = await tempDir();
  try {
    const settings = fixtureSettings(server, { prm: { protocol: 'none' }, reward: { protocol: 'none' } });
    const store = await createStore(dir, settings);
    const r = await runPipeline({ store, clients: await approvedClients(settings), retry: fast });
    assert.deepEqual(r.state.counts, { inlier: 1, outlier: 1, boundary: 2, unlabelled: 0 });
    assert.equal(r.state.budget.spent, 16);
    assert.equal(server.stats.received['/prm'], undefined);
    await store.close();
  } finally {
    await server.close();
    await cleanup();
  }
});

test('a missing key variable is named, and the key never lands in the settings', async () => {
  const server = await fixtureServer();
  try {
    const settings = fixtureSettings(server, { policy: { baseURLs: [server.v1], model: 'm', apiKeyEnv: 'HSSTAR_TEST_KEY' } });
    assert.throws(() => createClients(settings, { HSSTAR_CONFIG_DIR: tmpdir() }), /HSSTAR_TEST_KEY is not set/);
    const config = mkdtempSync(join(tmpdir(), 'hsstar-config-'));
    const env = { HSSTAR_TEST_KEY: 'sk-test-secret-1234', HSSTAR_CONFIG_DIR: config };
    assert.throws(() => createClients(settings, env, { runDir: 'run1' }), /policy: \$HSSTAR_TEST_KEY -> http:\/\/127\.0\.0\.1:\d+\/v1\n.*hsstar trust run1 --yes/s);
    await approveEndpoints(env, endpointDestinations(settings));
    const clients = createClients(settings, env);
    rmSync(config, { recursive: true, force: true });
    assert.deepEqual(clients.secrets, ['sk-test-secret-1234']);
    assert.ok(!JSON.stringify(settings).includes('sk-test'));
  } finally {
    await server.close();
  }
});
