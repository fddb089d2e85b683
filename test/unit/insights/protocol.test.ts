import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insightsData } from '../../../src/core/insights/insights-data';
import { HostMessage, InsightsPayload, InsightsRequest } from '../../../src/protocol-insights';
import { handMadeRun } from './hand-made-run';

const right = (m: number) => ({ correct: true, steps: [m, 0.9] });
const wrong = (m: number) => ({ correct: false, steps: [m, 0.9] });

const previous = handMadeRun([
  { id: 'a', responses: [right(0.1), wrong(0.8), right(0.5), wrong(0.2)], pairs: [[0, 1]] },
  { id: 'b', responses: [wrong(0.1), wrong(0.1), wrong(0.1)] },
]);
const current = handMadeRun(
  [
    { id: 'a', responses: [right(0.9), right(0.9), right(0.9)] },
    { id: 'b', responses: [wrong(0.1), right(0.5), wrong(0.1)] },
  ],
  { round: { index: 1, previousRun: '../r0' } },
);

test('what the core computes passes the panel schema, rows capped and totals exact', () => {
  const data = insightsData(previous, { maxRows: 0 });
  const payload = InsightsPayload.parse(JSON.parse(JSON.stringify(data)));
  assert.equal(payload.rewardDebug.correctLow.length, 0);
  assert.equal(payload.rewardDebug.totals.correctLow, 1);
  assert.equal(payload.rewardDebug.totals.invertedPairs, 1);
  assert.match(payload.roundsNote!, /first round/);
  assert.ok(HostMessage.safeParse({ kind: 'render', payload }).success);
});

test('a next round compares with its previous run, or says why it cannot', () => {
  const withPrev = InsightsPayload.parse(insightsData(current, { previous }));
  assert.deepEqual(withPrev.rounds!.moved.map((m) => `${m.problemId}:${m.from}>${m.to}`), ['a:boundary>inlier', 'b:outlier>boundary']);
  const without = insightsData(current, { previous: null, previousError: 'no hsstar.json' });
  assert.equal(without.rounds, null);
  assert.match(without.roundsNote!, /\.\.\/r0.*no hsstar\.json/);
});

test('intents from the webview are checked', () => {
  const ok = (intent: unknown) => InsightsRequest.safeParse({ kind: 'request', seq: 1, intent }).success;
  assert.ok(ok({ type: 'apply-thresholds', tauLow: 0.2, tauHigh: 0.7 }));
  assert.ok(!ok({ type: 'apply-thresholds', tauLow: 0.8, tauHigh: 0.7 }), 'inverted');
  assert.ok(!ok({ type: 'apply-thresholds', tauLow: -0.1, tauHigh: 0.7 }), 'out of range');
  assert.ok(ok({ type: 'open-problem', problemId: 'a', responseId: 'a:0', stepIndex: 1 }));
  assert.ok(!ok({ type: 'open-problem', problemId: '', responseId: null, stepIndex: null }));
  assert.ok(!ok({ type: 'write-file', path: '/etc/passwd' }));
});

test('a calibration payload with columns of different lengths is refused', () => {
  const data = JSON.parse(JSON.stringify(insightsData(previous)));
  data.calibration.x.pop();
  assert.ok(!InsightsPayload.safeParse(data).success);
});
