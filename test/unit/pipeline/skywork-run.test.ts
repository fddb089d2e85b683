import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunSettings } from '../../../src/core/schema/index';
import { presetForPrm } from '../../../src/core/rde';
import { splitSteps } from '../../../src/core/steps';
import { sigmoid } from '../../../src/endpoints/prm-client';
import { approvedClients } from '../../support/user-config';
import { runPipeline } from '../../../src/pipeline/run-pipeline';
import { startVllmServer } from '../../support/vllm-server';
import { PATTERNS, createStore, solution, tempDir } from './run-fixture';

const SKYWORK = 'Skywork/Skywork-o1-Open-PRM-Qwen-2.5-7B';
/** The value head: high on every step but the one that states a wrong sum. */
const logitOf = (step: string) => (/gives 8\.$/.test(step) ? -3 : 3);

test('a Skywork run on a current vLLM labels problems as the reference input scores them, Outliers included', async () => {
  // The policy answers q0 right, q1 wrong, q2/q3 mixed (choice 0 as the pattern says, then alternating).
  const policy = await startVllmServer({
    kind: 'generate',
    servedModelName: 'policy',
    generate: ({ prompt, index }) => {
      const pattern = PATTERNS[prompt] ?? [false];
      return solution(pattern[index % pattern.length]!, index);
    },
  });
  const prm = await startVllmServer({ kind: 'skywork-prm', servedModelName: SKYWORK, stepLogit: logitOf });
  const { dir, cleanup } = await tempDir();
  try {
    const thresholds = presetForPrm(SKYWORK)!;
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: 'fixture.jsonl', sha256: 'c'.repeat(64) },
      policy: { baseURLs: [policy.v1], model: 'policy', nPerRequest: 2, maxTokens: 256 },
      prm: { protocol: 'vllm-skywork-prm', baseURLs: [prm.url], model: SKYWORK },
      budget: { N: 4, presample: 2 },
      thresholds: { tauLow: thresholds.tauLow, tauHigh: thresholds.tauHigh },
      concurrency: { policy: 4, prm: 4, reward: 4 },
    });
    const store = await createStore(dir, settings);
    const result = await runPipeline({ store, clients: await approvedClients(settings), retry: { baseMs: 1, maxMs: 5 } }, 'rde');
    assert.equal(result.status, 'completed');
    const s = result.state;
    assert.deepEqual(
      s.problems.map((p) => [p.problem.id, p.effective]),
      [
        ['q0', 'inlier'],
        ['q1', 'outlier'],
        ['q2', 'boundary'],
        ['q3', 'boundary'],
      ],
    );
    for (const p of s.problems)
      for (const v of p.responses) {
        const expected = splitSteps(v.response.text, settings.stepSeparator).map((step) => sigmoid(logitOf(step)));
        assert.deepEqual(v.stepScores, expected, v.response.id);
      }
    // q1's S(r) is sigmoid(-3) = 0.047 < tau_l = 0.15.
    assert.ok(s.byId.get('q1')!.phiR! < thresholds.tauLow);
    await store.close();
  } finally {
    await policy.close();
    await prm.close();
    await cleanup();
  }
});
