import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak, cleanUp } from './soak-run';
import { CHAOS_FAULTS } from './chaos-proxy';

/**
 * `npm run test:soak`: the short form (2,000 responses, 20 kills) for CI.
 * `npm run test:soak:full` sets HSSTAR_SOAK=full: all 500 MATH500 problems × 8, 50 kills.
 */
const full = process.env.HSSTAR_SOAK === 'full';
const options = {
  problems: full ? 500 : 250,
  N: 8,
  presample: 3,
  kills: full ? 50 : 20,
  killWindowMs: [0, 1500] as [number, number],
  faultRate: 0.1,
  latencyMs: [5, 60] as [number, number],
  // Every kind, `hang` included: a hung request holds its slot until --request-timeout.
  faults: CHAOS_FAULTS,
  requestTimeoutS: 2,
  seed: Number(process.env.HSSTAR_SOAK_SEED ?? 20260),
  log: (line: string) => process.stderr.write(`soak: ${line}\n`),
};

test(`soak: ${options.problems} problems × ${options.N} through ${options.kills} SIGKILLs and 10 % faults`, { timeout: full ? 1_800_000 : 300_000 }, async () => {
  const r = await runSoak(options);
  try {
    const figures = {
      seconds: r.seconds,
      requests: r.requests,
      faults: r.chaos.faults,
      kills: r.kills.length,
      killAfterFirstRequestMs: r.kills.map((k) => k.afterMs),
      startupMs: r.kills.map((k) => k.startupMs),
      earlyExits: r.earlyExits,
      finalRuns: r.finalRuns,
      stored: r.stored,
      expected: r.expected,
      labels: r.labels,
      delivered: r.chaos.samplesDelivered,
      wasted: r.wasted,
      wasteBound: r.wasteBound,
      duplicateLines: r.duplicateLines,
    };
    process.stderr.write(`soak figures: ${JSON.stringify(figures)}\n`);
    assert.ok(r.requests >= (full ? 8000 : 2000), `only ${r.requests} requests`);
    assert.ok(r.kills.length >= options.kills);
    assert.deepEqual(r.badLines, [], 'every line of every log parses');
    assert.ok(r.boundary > 0, 'some problems are Boundary, so the whole budget is spent');
    assert.equal(r.stored, r.expected, 'exactly N × |D| responses');
    assert.equal(r.missing, 0, 'no slot missing');
    assert.equal(r.offTarget, 0, 'every problem has exactly its planned responses');
    assert.equal(r.duplicateLines, 0, 'no response written twice');
    assert.equal(r.ungraded, 0);
    assert.equal(r.unscored, 0);
    assert.ok(r.wasted >= 0);
    assert.ok(r.wasted <= r.wasteBound, `lost ${r.wasted} paid samples, more than the ${r.wasteBound} in flight at the kills`);
  } finally {
    cleanUp(r);
  }
});
