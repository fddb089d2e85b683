import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type FaultRule } from '../../support/test-server';
import { PolicySampler } from '../../../src/endpoints/policy-sampler';
import type { EndpointError } from '../../../src/endpoints/endpoint-error';
import type { Response } from '../../../src/core/schema/response';
import { sampleResponses, type SamplingWork } from '../../../src/pipeline/engine/sample-responses';
import type { Progress } from '../../../src/pipeline/engine/progress';

const fastRetry = { baseMs: 5, maxMs: 40 };

function work(problems: number, slotsEach = 1): SamplingWork[] {
  return Array.from({ length: problems }, (_, p) => ({
    problem: { id: `p${p}`, question: `question ${p}` },
    slots: Array.from({ length: slotsEach }, (_, s) => s),
  }));
}

/** A sink like the store's: keeps what was written, in order. */
function memorySink(delayMs = 0) {
  const written: Response[] = [];
  return {
    written,
    onResponses: async (rs: Response[]) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      written.push(...rs);
    },
  };
}

describe('scheduling', () => {
  test('never more requests on the wire than the concurrency; every slot written once', async () => {
    const server = await startTestServer({ latencyMs: 15 });
    try {
      const sink = memorySink();
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(30, 2),
        nPerRequest: 1,
        concurrency: 6,
        ...sink,
      });
      assert.equal(summary.status, 'completed');
      assert.equal(summary.progress.done, 60);
      assert.equal(server.stats.maxInFlight, 6);
      const ids = sink.written.map((r) => r.id);
      assert.equal(new Set(ids).size, 60);
      assert.ok(ids.includes('p29:1'));
    } finally {
      await server.close();
    }
  });

  test('n per request: one request serves several slots; a server giving fewer gets the rest asked again', async () => {
    const server = await startTestServer({ nMode: 'ignore' });
    try {
      const sink = memorySink();
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: [{ problem: { id: 'a', question: 'q' }, slots: [3, 4, 5, 6, 7] }],
        nPerRequest: 4,
        presample: 3,
        concurrency: 2,
        round: 2,
        ...sink,
      });
      assert.equal(summary.progress.done, 5);
      assert.deepEqual(sink.written.map((r) => r.id).sort(), ['a:3', 'a:4', 'a:5', 'a:6', 'a:7']);
      assert.ok(sink.written.every((r) => r.stage === 're' && r.round === 2));
      assert.equal(server.stats.samplesServed, 5, 'nothing bought twice');
    } finally {
      await server.close();
    }
  });

  test('replicas share the load', async () => {
    const a = await startTestServer({ latencyMs: 10 });
    const b = await startTestServer({ latencyMs: 10 });
    try {
      const summary = await sampleResponses({
        samplers: [a, b].map((s) => new PolicySampler({ baseURL: s.v1, model: 'm' })),
        work: work(40),
        nPerRequest: 1,
        concurrency: 8,
        ...memorySink(),
      });
      assert.equal(summary.progress.done, 40);
      const na = a.stats.completed['/v1/chat/completions'] ?? 0;
      const nb = b.stats.completed['/v1/chat/completions'] ?? 0;
      assert.equal(na + nb, 40);
      assert.ok(na >= 12 && nb >= 12, `unbalanced: ${na} / ${nb}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a replica that is down is routed around', async () => {
    const up = await startTestServer();
    const down = await startTestServer();
    const deadUrl = down.v1;
    await down.close();
    try {
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: deadUrl, model: 'm' }), new PolicySampler({ baseURL: up.v1, model: 'm' })],
        work: work(20),
        nPerRequest: 1,
        concurrency: 4,
        retry: fastRetry,
        ...memorySink(),
      });
      assert.equal(summary.status, 'completed');
      assert.equal(summary.progress.done, 20);
      assert.equal(summary.progress.failed, 0);
      assert.ok(summary.progress.retried >= 1);
    } finally {
      await up.close();
    }
  });
});

describe('retries', () => {
  test('every retryable fault is retried until the work is done', async () => {
    const server = await startTestServer();
    const faults: FaultRule[] = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 408 },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'malformed' },
      { kind: 'empty' },
      { kind: 'truncated' },
    ];
    server.setFaults(...faults);
    try {
      const sink = memorySink();
      const lines: string[] = [];
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm', timeoutMs: 200 })],
        work: work(12),
        nPerRequest: 1,
        concurrency: 3,
        retry: fastRetry,
        log: (l) => lines.push(l),
        ...sink,
      });
      assert.equal(summary.status, 'completed');
      assert.equal(summary.progress.done, 12);
      assert.equal(summary.progress.failed, 0);
      assert.equal(summary.progress.retried, faults.length);
      assert.equal(server.stats.faultsServed, faults.length);
      assert.equal(sink.written.length, 12);
      assert.ok(lines.some((l) => /^retry 2\/6 in .*\(503\): injected 503/.test(l)), lines.join('\n'));
    } finally {
      await server.close();
    }
  });

  test('429 Retry-After is honoured', async () => {
    const server = await startTestServer();
    server.setFaults({ kind: 'status', status: 429, retryAfter: '0.4' });
    try {
      const started = performance.now();
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(1),
        nPerRequest: 1,
        concurrency: 1,
        retry: fastRetry,
        ...memorySink(),
      });
      const elapsed = performance.now() - started;
      assert.equal(summary.progress.done, 1);
      assert.ok(elapsed >= 400, `retried after ${elapsed} ms`);
    } finally {
      await server.close();
    }
  });

  test('other 4xx are not retried: the job fails with a clear error naming URL and status', async () => {
    const server = await startTestServer();
    server.setFaults({ kind: 'status', status: 401 });
    try {
      const failures: EndpointError[] = [];
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(1, 3),
        nPerRequest: 4,
        concurrency: 1,
        retry: fastRetry,
        onFailure: (_w, e) => void failures.push(e),
        ...memorySink(),
      });
      assert.equal(summary.progress.failed, 3);
      assert.equal(summary.progress.retried, 0);
      assert.equal(server.stats.received['/v1/chat/completions'], 1);
      assert.equal(failures[0]!.message, `${server.v1}/chat/completions (401): injected 401`);
    } finally {
      await server.close();
    }
  });

  test('after the last attempt the job is reported failed', async () => {
    const server = await startTestServer();
    server.setFaults({ kind: 'status', status: 500, times: 3 });
    try {
      const failures: string[] = [];
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(1),
        nPerRequest: 1,
        concurrency: 1,
        retry: { ...fastRetry, maxAttempts: 3 },
        onFailure: (w, e) => void failures.push(`${w.problem.id}: ${e.status}`),
        ...memorySink(),
      });
      assert.deepEqual(failures, ['p0: 500']);
      assert.equal(summary.progress.failed, 1);
      assert.equal(summary.progress.retried, 2);
    } finally {
      await server.close();
    }
  });
});

test('the circuit pauses the run after repeated failures and says why', async () => {
  const server = await startTestServer();
  server.setFaults({ kind: 'status', status: 503, times: 10_000 });
  try {
    const summary = await sampleResponses({
      samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
      work: work(50),
      nPerRequest: 1,
      concurrency: 2,
      retry: fastRetry,
      circuitThreshold: 5,
      ...memorySink(),
    });
    assert.equal(summary.status, 'paused');
    assert.match(summary.reason!, /^paused after 5 failed requests in a row; last: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(503\)/);
    assert.equal(summary.progress.failed, 0, 'retryable work is left for the resumed run');
    assert.ok(server.stats.received['/v1/chat/completions']! <= 6);
  } finally {
    await server.close();
  }
});

describe('cancellation', () => {
  for (const mode of ['finish', 'abort'] as const) {
    test(`stops new requests at once; in-flight ones ${mode === 'finish' ? 'finish and are written' : 'are aborted'}`, async () => {
      const server = await startTestServer({ latencyMs: 40 });
      try {
        const ac = new AbortController();
        const sink = memorySink();
        let lateCalls = 0;
        // Counts requests begun after the abort: there must be none.
        class Watched extends PolicySampler {
          override sample(q: string, n: number, signal?: AbortSignal) {
            if (ac.signal.aborted) lateCalls++;
            return super.sample(q, n, signal);
          }
        }
        const run = sampleResponses({
          samplers: [new Watched({ baseURL: server.v1, model: 'm' })],
          work: work(200),
          nPerRequest: 1,
          concurrency: 4,
          signal: ac.signal,
          onCancel: mode,
          onResponses: async (rs) => {
            await sink.onResponses(rs);
            if (sink.written.length === 10 && !ac.signal.aborted) ac.abort();
          },
        });
        const summary = await run;
        await new Promise((r) => setTimeout(r, 60)); // let the server finish anything aborted
        assert.equal(summary.status, 'cancelled');
        assert.equal(lateCalls, 0, 'no request after the abort');
        // At most what was on the wire (4) and what waited to be written (4, the bound on
        // writes in hand) when the 10th response was written.
        assert.ok(server.stats.received['/v1/chat/completions']! <= 10 + 4 + 4);
        if (mode === 'finish') {
          assert.equal(sink.written.length, server.stats.samplesServed, 'every paid response written');
          assert.ok(sink.written.length > 10);
        } else {
          // Cut on the wire, but what had already come back (paid for) is still written:
          // at most the writes in hand then.
          assert.ok(sink.written.length >= 10 && sink.written.length <= 10 + 4, `${sink.written.length} written`);
          assert.ok(sink.written.length <= server.stats.samplesServed);
        }
        assert.equal(summary.progress.done, sink.written.length);
        assert.equal(summary.progress.inFlight, 0);
      } finally {
        await server.close();
      }
    });
  }
});

describe('progress and the sink', () => {
  test('a response counts only after the sink resolved; tokens and cost add up', async () => {
    const server = await startTestServer({ latencyMs: 5 });
    try {
      let resolved = 0;
      const sink = memorySink(10);
      const snapshots: Progress[] = [];
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(12, 3),
        nPerRequest: 3,
        concurrency: 4,
        prices: { promptPerMTok: 2, completionPerMTok: 10 },
        onProgress: (p) => {
          assert.ok(p.done <= resolved, `counted ${p.done} with ${resolved} written`);
          snapshots.push(p);
        },
        onResponses: async (rs) => {
          await sink.onResponses(rs);
          resolved += rs.length;
        },
      });
      const p = summary.progress;
      assert.equal(p.done, 36);
      const completion = sink.written.reduce((a, r) => a + r.usage.completion, 0);
      assert.equal(p.completionTokens, completion);
      // One prompt per request (n = 3): every third response carries its request's prompt count.
      const prompt = sink.written.filter((r) => r.slot === 0).reduce((a, r) => a + r.usage.prompt, 0);
      assert.equal(p.promptTokens, prompt);
      assert.ok(Math.abs(p.costUsd - (prompt * 2 + completion * 10) / 1e6) < 1e-12);
      assert.ok(snapshots.some((s) => s.inFlight > 0));
    } finally {
      await server.close();
    }
  });

  test('a request slot sends its next request while the reply before is still being written, up to a bound', async () => {
    const server = await startTestServer({ latencyMs: 5 });
    try {
      let receivedAtFirstWrite = -1;
      const summary = await sampleResponses({
        samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
        work: work(24),
        nPerRequest: 1,
        concurrency: 4,
        onResponses: async () => {
          // A slow disk: each write takes 150 ms, far longer than a request.
          await new Promise((r) => setTimeout(r, 150));
          if (receivedAtFirstWrite < 0) receivedAtFirstWrite = server.stats.received['/v1/chat/completions']!;
        },
      });
      assert.equal(summary.progress.done, 24);
      // Waiting for each write, the 4 slots would have sent only their first 4 requests by then;
      // at most `concurrency` replies wait for their writes, so no more than 4 more go out.
      assert.ok(receivedAtFirstWrite > 4 && receivedAtFirstWrite <= 9, `${receivedAtFirstWrite} requests sent during the first write`);
      assert.equal(server.stats.maxInFlight, 4, 'still never more than the concurrency on the wire');
    } finally {
      await server.close();
    }
  });

  test('a failing sink stops the run and its error comes out', async () => {
    const server = await startTestServer({ latencyMs: 5 });
    try {
      await assert.rejects(
        sampleResponses({
          samplers: [new PolicySampler({ baseURL: server.v1, model: 'm' })],
          work: work(100),
          nPerRequest: 1,
          concurrency: 2,
          onResponses: async () => {
            throw new Error('disk full');
          },
        }),
        /disk full/,
      );
      // Each of the 2 request slots may have sent one more request while the first write failed.
      assert.ok(server.stats.received['/v1/chat/completions']! <= 4);
    } finally {
      await server.close();
    }
  });
});
