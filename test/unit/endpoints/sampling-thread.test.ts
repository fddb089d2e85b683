import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestServer, type FaultRule, type TestServer } from '../../support/test-server';
import { PolicySampler, type SamplingOptions } from '../../../src/endpoints/policy-sampler';
import { EndpointError } from '../../../src/endpoints/endpoint-error';
import { threadTransport } from '../../../src/endpoints/sampling-thread/thread-transport';
import { SamplingThread } from '../../../src/endpoints/sampling-thread/sampling-thread';

/** A sampler whose requests run on `thread`. */
const onThread = (options: SamplingOptions, thread: SamplingThread) => new PolicySampler(options, threadTransport(options, thread));

/** What a batch says, without the measured latency. */
const content = (b: Awaited<ReturnType<PolicySampler['sample']>>) => ({ usage: b.usage, samples: b.samples.map(({ latencyMs: _l, ...s }) => s) });

describe('a sampler on the sampling thread behaves as one on the caller’s thread', () => {
  let server: TestServer;
  const thread = new SamplingThread();
  before(async () => {
    server = await startTestServer({ policy: ({ prompt, n }) => Array.from({ length: n }, (_, i) => `${prompt.length} chars, choice ${i}: \\boxed{${i}}`) });
  });
  after(async () => {
    await thread.close();
    await server.close();
  });

  for (const api of ['chat', 'completions'] as const) {
    test(`${api}: the same request bodies and the same samples`, async () => {
      const options: SamplingOptions = { baseURL: server.v1, model: 'm', api, seed: 7, temperature: 0.6, maxTokens: 512, stop: ['</s>'], systemPrompt: 'sys', promptTemplate: 'Q: {question}' };
      const key = { problemId: 'p1', firstSlot: 4 };
      const here = new PolicySampler(options);
      const there = onThread(options, thread);
      assert.equal(there.url, here.url);
      assert.equal(there.prompt('x'), here.prompt('x'));
      const a = await here.sample('What is 2+2?', 3, undefined, key);
      const bodyA = server.requests.at(-1)!.body;
      const b = await there.sample('What is 2+2?', 3, undefined, key);
      const bodyB = server.requests.at(-1)!.body;
      assert.deepEqual(bodyB, bodyA);
      assert.deepEqual(content(b), content(a));
      assert.equal(b.samples.length, 3);
    });
  }

  const faults: [string, FaultRule, Partial<SamplingOptions>][] = [
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '3' }, {}],
    ['a 400 with its message', { kind: 'status', status: 400 }, {}],
    ['503', { kind: 'status', status: 503 }, {}],
    ['connection reset', { kind: 'reset' }, {}],
    ['timeout', { kind: 'hang' }, { timeoutMs: 150 }],
    ['malformed JSON', { kind: 'malformed' }, {}],
    ['empty choices', { kind: 'empty' }, {}],
    ['truncated body', { kind: 'truncated' }, {}],
  ];
  for (const [name, fault, extra] of faults) {
    test(`${name}: the same EndpointError (kind, status, message, Retry-After)`, async () => {
      const options: SamplingOptions = { baseURL: server.v1, model: 'm', ...extra };
      const errorOf = async (s: { sample: PolicySampler['sample'] }) => {
        server.setFaults(fault);
        try {
          await s.sample('q', 2);
        } catch (e) {
          return e;
        }
        return assert.fail('no error');
      };
      const a = await errorOf(new PolicySampler(options));
      const b = await errorOf(onThread(options, thread));
      assert.ok(b instanceof EndpointError, `not an EndpointError: ${String(b)}`);
      assert.ok(a instanceof EndpointError);
      const fields = (e: EndpointError) => ({ kind: e.kind, url: e.url, status: e.status, message: e.message, retryAfterMs: e.retryAfterMs });
      assert.deepEqual(fields(b), fields(a));
    });
  }

  test('a server that refuses n > 1 (400) or ignores it: the sampler learns it through the thread', async () => {
    const refusing = await startTestServer({ nMode: 'reject' });
    try {
      const s = onThread({ baseURL: refusing.v1, model: 'm' }, thread);
      assert.equal(s.supportsN, true);
      assert.equal((await s.sample('q', 4)).samples.length, 1);
      assert.equal(s.supportsN, false);
      await s.sample('q', 4);
      assert.deepEqual(refusing.requests.map((r) => (r.body as { n: number }).n), [4, 1, 1]);
    } finally {
      await refusing.close();
    }
    const ignoring = await startTestServer({ nMode: 'ignore' });
    try {
      const s = onThread({ baseURL: ignoring.v1, model: 'm' }, thread);
      assert.equal((await s.sample('q', 3)).samples.length, 1);
      assert.equal(s.supportsN, false);
      await s.sample('q', 3);
      assert.deepEqual(ignoring.requests.map((r) => (r.body as { n: number }).n), [3, 1]);
    } finally {
      await ignoring.close();
    }
  });

  test('cancelled in flight, and cancelled before it left (then no request reaches the server)', async () => {
    const s = onThread({ baseURL: server.v1, model: 'm' }, thread);
    server.setFaults({ kind: 'hang' });
    const ac = new AbortController();
    const inFlight = s.sample('q', 1, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(inFlight, (e: unknown) => e instanceof EndpointError && e.kind === 'aborted' && e.url === s.url);
    server.setFaults();
    const before = server.stats.received['/v1/chat/completions'] ?? 0;
    const gone = new AbortController();
    gone.abort();
    await assert.rejects(s.sample('q', 1, gone.signal), (e: unknown) => e instanceof EndpointError && e.kind === 'aborted');
    const sameTurn = new AbortController();
    const queued = s.sample('q', 1, sameTurn.signal);
    sameTurn.abort(); // still in this turn's outbox
    await assert.rejects(queued, (e: unknown) => e instanceof EndpointError && e.kind === 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.stats.received['/v1/chat/completions'] ?? 0, before);
  });

  test('many requests under one signal leave nothing on it once they are answered or cancelled', async () => {
    const slow = await startTestServer({ latencyMs: 100 });
    try {
      const s = onThread({ baseURL: slow.v1, model: 'm' }, thread);
      const ac = new AbortController();
      const calls = Array.from({ length: 40 }, (_, i) => s.sample(`q${i}`, 1, ac.signal));
      assert.equal((await Promise.all(calls)).length, 40);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
      // Cancelling them: those on the wire and those not sent yet all end as cancelled.
      slow.setFaults({ kind: 'hang', times: 1000 });
      const cut = new AbortController();
      const onWire = Array.from({ length: 20 }, (_, i) => s.sample(`w${i}`, 1, cut.signal));
      await new Promise((r) => setTimeout(r, 50));
      const unsent = Array.from({ length: 5 }, (_, i) => s.sample(`u${i}`, 1, cut.signal));
      cut.abort();
      const ends = await Promise.allSettled([...onWire, ...unsent]);
      assert.ok(ends.every((e) => e.status === 'rejected' && e.reason instanceof EndpointError && e.reason.kind === 'aborted'));
      assert.equal(getEventListeners(cut.signal, 'abort').length, 0);
    } finally {
      await slow.close();
    }
  });

  test('a burst of calls starts a slice at a time: all are answered; cancelled, those not started never leave', { timeout: 60_000 }, async () => {
    // A call started after the cancel would hang on the server below, then fail by this limit, not as cancelled.
    const s = onThread({ baseURL: server.v1, model: 'm', timeoutMs: 15_000 }, thread);
    const burst = await Promise.all(Array.from({ length: 600 }, (_, i) => s.sample(`b${i}`, 1)));
    assert.equal(burst.length, 600);
    assert.ok(burst.every((b, i) => b.samples[0]!.text.startsWith(`${s.prompt(`b${i}`).length} chars`)));
    // Calls that arrive while a burst is being started join its queue, and every one is answered once.
    const first = Array.from({ length: 200 }, (_, i) => s.sample(`x${i}`, 1));
    await new Promise((r) => setImmediate(r));
    const second = Array.from({ length: 200 }, (_, i) => s.sample(`y${i}`, 1));
    const both = await Promise.all([...first, ...second]);
    assert.deepEqual(
      both.map((b) => b.samples[0]!.text),
      [...Array.from({ length: 200 }, (_, i) => `x${i}`), ...Array.from({ length: 200 }, (_, i) => `y${i}`)].map((q) => `${s.prompt(q).length} chars, choice 0: \\boxed{0}`),
    );
    // The thread holds most of a larger burst when the cancel reaches it: a call it started
    // after that would hang on this server, and the test would time out.
    server.setFaults({ kind: 'hang', times: 100_000 });
    try {
      const before = server.stats.received['/v1/chat/completions'] ?? 0;
      const cut = new AbortController();
      const calls = Array.from({ length: 3000 }, (_, i) => s.sample(`c${i}`, 1, cut.signal));
      await new Promise((r) => setTimeout(r, 20));
      cut.abort();
      const ends = await Promise.allSettled(calls);
      assert.ok(ends.every((e) => e.status === 'rejected' && e.reason instanceof EndpointError && e.reason.kind === 'aborted'));
      await new Promise((r) => setTimeout(r, 50));
      const reached = (server.stats.received['/v1/chat/completions'] ?? 0) - before;
      assert.ok(reached < 3000, `${reached} of 3000 cancelled calls reached the server`);
    } finally {
      server.setFaults();
    }
  });
});

test('closing the thread fails the requests in hand; a thread after it works', async () => {
  const server = await startTestServer();
  try {
    server.setFaults({ kind: 'hang' });
    const thread = new SamplingThread();
    const s = onThread({ baseURL: server.v1, model: 'm' }, thread);
    const inHand = s.sample('q', 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(thread.inHand, 1);
    const failed = assert.rejects(inHand, /sampling thread was closed/);
    await thread.close();
    await failed;
    assert.throws(() => onThread({ baseURL: server.v1, model: 'm' }, thread), /closed/);
    server.setFaults();
    const next = new SamplingThread();
    assert.equal((await onThread({ baseURL: server.v1, model: 'm' }, next).sample('q', 2)).samples.length, 2);
    await next.close();
  } finally {
    await server.close();
  }
});

test('a thread that dies fails the requests it had; the next request starts a new one with the samplers opened again', async () => {
  const server = await startTestServer();
  const thread = new SamplingThread();
  try {
    const s = onThread({ baseURL: server.v1, model: 'm' }, thread);
    assert.equal((await s.sample('q', 2)).samples.length, 2);
    server.setFaults({ kind: 'hang' });
    const inHand = s.sample('q', 1);
    await new Promise((r) => setTimeout(r, 50));
    const failed = assert.rejects(inHand, /sampling thread failed/);
    // A message the thread cannot read throws there, uncaught: the thread dies.
    (thread as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage(null);
    await failed;
    server.setFaults();
    assert.equal((await s.sample('q', 3)).samples.length, 3);
  } finally {
    await thread.close();
    await server.close();
  }
});

test('a process whose sampler is idle exits on its own (the thread does not keep it alive)', async () => {
  const server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-sampling-thread-'));
  try {
    const script = join(dir, 'child.mts');
    const module = pathToFileURL(join(import.meta.dirname, '../../../src/endpoints/create-clients.ts')).href;
    writeFileSync(
      script,
      `import { createPolicySamplers } from ${JSON.stringify(module)};\n` +
        `const [s] = createPolicySamplers({ baseURLs: [process.argv[2]], model: 'm' });\n` +
        `const b = await s.sample('q', 2);\n` +
        `console.log(b.samples.length);\n`,
    );
    // The test server runs in this process, so the child must run without blocking it.
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, server.v1]);
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(kill);
        resolve({ code, out });
      });
    });
    assert.equal(run.code, 0, 'the child did not exit by itself');
    assert.equal(run.out.trim(), '2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});
