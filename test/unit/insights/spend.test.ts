import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetReport, budgetSummary } from '../../../src/core/insights/spend';
import type { FailureRecord } from '../../../src/core/schema/index';
import { handMadeRun } from './hand-made-run';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const pre = (s: number, correct: boolean, steps?: number[]) => ({ correct, prompt: 100, completion: correct ? 200 : 300, latencyMs: 1000, at: at(s), ...(steps ? { steps } : {}) });

const run = handMadeRun(
  [
    { id: 'b1', responses: [pre(1, true, [0.9]), pre(2, true, [0.9]), pre(3, true, [0.9])] },
    {
      id: 'b2',
      responses: [
        pre(4, false, [0.5]),
        pre(5, true, [0.5]),
        pre(6, false, [0.5]),
        { correct: true, prompt: 100, completion: 500, latencyMs: 2000, at: at(60), stage: 're' as const },
        { correct: false, prompt: 100, completion: 500, latencyMs: 2000, at: at(90), stage: 're' as const, finishReason: 'length' },
      ],
    },
  ],
  { prices: { promptPerMTok: 1, completionPerMTok: 2 } },
);

const failure = (endpoint: FailureRecord['endpoint'], targets: string[]): FailureRecord => ({
  kind: 'failure',
  endpoint,
  targets,
  url: 'http://127.0.0.1:9/v1',
  status: 503,
  message: 'unavailable',
  at: at(0),
});
const failures = [failure('policy', ['b2:3']), failure('policy', ['b2:7']), failure('prm', ['b1:0', 'b2:4'])];

test('responses, tokens and cost per stage and per label', () => {
  const s = budgetSummary(run, failures);
  assert.deepEqual(s.planned, { total: 16, pre: 6 });
  assert.deepEqual(
    [s.byStage.pre.responses, s.byStage.pre.promptTokens, s.byStage.pre.completionTokens],
    [6, 600, 1400],
  );
  // 600 x $1 + 1400 x $2 per million tokens.
  assert.ok(Math.abs(s.byStage.pre.cost - 0.0034) < 1e-12);
  assert.deepEqual([s.byStage.re.responses, s.byStage.re.completionTokens, s.byStage.re.truncated], [2, 1000, 1]);
  assert.ok(Math.abs(s.total.cost - 0.0056) < 1e-12);
  assert.equal(s.byLabel.inlier.responses, 3);
  assert.equal(s.byLabel.boundary.responses, 5);
  assert.equal(s.byLabel.outlier.responses, 0);
});

test('time per stage runs from the first request start to the last write', () => {
  const s = budgetSummary(run, failures);
  assert.equal(s.byStage.pre.wallMs, 6000);
  assert.equal(s.byStage.pre.latencyMs, 6000);
  assert.equal(s.byStage.re.wallMs, 32000);
});

test('failed requests are split into still missing and recovered by a later attempt', () => {
  const s = budgetSummary(run, failures);
  assert.deepEqual(s.failures, [
    { endpoint: 'policy', requests: 2, failed: 1, recovered: 1 },
    { endpoint: 'prm', requests: 1, failed: 1, recovered: 1 },
  ]);
});

test('the status report states the same numbers', () => {
  const text = budgetReport(budgetSummary(run, failures)).join('\n');
  assert.match(text, /budget    8 of 16 responses \(50\.0 %\), 800 prompt \+ 2400 completion tokens, \$0\.0056/);
  assert.match(text, /pre-sampling: 6 of 6 responses, 600 prompt \+ 1400 completion tokens, \$0\.0034, time 6\.0 s/);
  assert.match(text, /re-sampling: 2 of 10 responses, .* time 32\.0 s, 1 truncated/);
  assert.match(text, /failed requests \(policy\): 2; 1 still missing, 1 recovered on retry/);
  const unpriced = budgetReport(budgetSummary(handMadeRun([{ id: 'x', responses: [pre(1, true)] }]))).join('\n');
  assert.match(unpriced, /no prices configured/);
  assert.match(unpriced, /failed requests: none/);
  assert.doesNotMatch(unpriced, /\$/);
});
