import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicySampler } from '../../../src/endpoints/policy-sampler';
import { HttpJsonPrmClient } from '../../../src/endpoints/prm-http-json';
import { HttpJsonRewardClient } from '../../../src/endpoints/reward-client';
import { splitSteps } from '../../../src/core/steps';
import { findDemoData, readRecordedRows } from '../../../src/pipeline/demo/recorded-data';
import { sigmoid, startReplayServer } from '../../../src/pipeline/demo/replay-server';

test('the bundled data: 50 MATH problems with 8 responses and 8 scores each', async () => {
  const rows = await readRecordedRows(findDemoData());
  assert.equal(rows.length, 50);
  for (const r of rows) {
    assert.equal(r.response.length, 8);
    assert.equal(r.pred_score.length, 8);
  }
});

test('replays recorded responses in order per problem, then from the first again', async () => {
  const rows = (await readRecordedRows(findDemoData())).slice(0, 2);
  const server = await startReplayServer(rows);
  try {
    const policy = new PolicySampler({ baseURL: server.v1, model: 'recorded', systemPrompt: rows[0]!.system! });
    const a = rows[0]!;
    const first = await policy.sample(a.question, 3);
    assert.deepEqual(first.samples.map((s) => s.text), a.response.slice(0, 3));
    const rest = await policy.sample(a.question, 5);
    assert.deepEqual(rest.samples.map((s) => s.text), a.response.slice(3, 8));
    const again = await policy.sample(a.question, 2);
    assert.deepEqual(again.samples.map((s) => s.text), a.response.slice(0, 2));
    assert.equal(server.stats.repeated, 2);
    // The other problem has its own order.
    assert.equal((await policy.sample(rows[1]!.question, 1)).samples[0]!.text, rows[1]!.response[0]);
    await assert.rejects(policy.sample('a question that was never recorded', 1), /404/);
  } finally {
    await server.close();
  }
});

test('PRM steps get the sigmoid of the recorded score; the reward is the recorded logit', async () => {
  const rows = (await readRecordedRows(findDemoData())).slice(0, 1);
  const row = rows[0]!;
  const server = await startReplayServer(rows);
  try {
    const prm = new HttpJsonPrmClient({ baseURL: server.prmUrl, model: 'recorded' });
    const reward = new HttpJsonRewardClient({ baseURL: server.rewardUrl, model: 'recorded' });
    const logit = (row.pred_score[2] as number[])[0]!;
    const steps = splitSteps(row.response[2]!);
    const scores = await prm.scoreSteps(row.question, steps);
    assert.equal(scores.length, steps.length);
    for (const s of scores) assert.equal(s, sigmoid(logit));
    assert.equal(await reward.score(row.question, row.response[2]!), logit);
    await assert.rejects(prm.scoreSteps(row.question, ['not', 'recorded']), /400/);
  } finally {
    await server.close();
  }
});
