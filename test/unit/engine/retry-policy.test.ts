import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointError, parseRetryAfter, redact } from '../../../src/endpoints/endpoint-error';
import { DEFAULT_RETRY, isRetryable, retryDelay } from '../../../src/pipeline/engine/retry-policy';
import { ReplicaSet } from '../../../src/pipeline/engine/replicas';
import { Circuit } from '../../../src/pipeline/engine/circuit';

const http = (status: number, retryAfterMs?: number) => new EndpointError('http', 'http://h/x', status, 'd', retryAfterMs);

test('which failures are retried', () => {
  for (const s of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryable(http(s)), true, String(s));
  for (const s of [400, 401, 403, 404, 422]) assert.equal(isRetryable(http(s)), false, String(s));
  for (const k of ['timeout', 'connection', 'malformed'] as const) assert.equal(isRetryable(new EndpointError(k, 'u', null, 'd')), true);
  for (const k of ['mismatch', 'aborted'] as const) assert.equal(isRetryable(new EndpointError(k, 'u', null, 'd')), false);
});

test('backoff doubles per attempt within equal jitter, capped; attempts are limited', () => {
  const o = { ...DEFAULT_RETRY, baseMs: 100, maxMs: 1000, maxAttempts: 5 };
  assert.equal(retryDelay(http(503), 1, o, () => 0), 50);
  assert.equal(retryDelay(http(503), 1, o, () => 1), 100);
  assert.equal(retryDelay(http(503), 3, o, () => 0), 200);
  assert.equal(retryDelay(http(503), 4, o, () => 1), 800);
  assert.equal(retryDelay(http(503), 4, { ...o, maxMs: 300 }, () => 1), 300);
  assert.equal(retryDelay(http(503), 5, o), undefined);
  assert.equal(retryDelay(http(404), 1, o), undefined);
});

test('Retry-After wins over backoff and is capped', () => {
  assert.equal(retryDelay(http(429, 7000), 1, DEFAULT_RETRY, () => 0), 7000);
  assert.ok(retryDelay(http(429, 7000), 1, DEFAULT_RETRY, () => 1)! <= 7700);
  assert.equal(retryDelay(http(429, 3_600_000), 1, DEFAULT_RETRY, () => 0), DEFAULT_RETRY.maxRetryAfterMs);
  assert.equal(parseRetryAfter('12'), 12_000);
  assert.equal(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000), 5_000);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('redact hides listed secrets and any bearer token', () => {
  assert.equal(redact('key=abcd1234 x', ['abcd1234']), 'key=[redacted] x');
  assert.equal(redact('"authorization":"Bearer zzz-999"'), '"authorization":"Bearer [redacted]"');
});

test('replicas: least in flight first, round-robin on ties, a failed one sits out its cooldown', () => {
  let now = 0;
  const set = new ReplicaSet([{ url: 'a' }, { url: 'b' }, { url: 'c' }], 1000, () => now);
  const picks = [set.acquire(), set.acquire(), set.acquire(), set.acquire()];
  assert.deepEqual(picks.slice(0, 3).sort(), [0, 1, 2]);
  assert.deepEqual(set.load().reduce((a, b) => a + b, 0), 4);
  for (const i of picks) set.release(i, i !== 1);
  const next = [set.acquire(), set.acquire(), set.acquire(), set.acquire()];
  assert.ok(!next.includes(1), `cooling replica chosen: ${next}`);
  for (const i of next) set.release(i, true);
  now = 2000;
  const later = [set.acquire(), set.acquire(), set.acquire()];
  assert.deepEqual([...later].sort(), [0, 1, 2]);
});

test('circuit opens at the threshold with the last error, and a success resets the streak', () => {
  const c = new Circuit(3);
  c.failure(http(503));
  c.failure(http(503));
  c.success();
  c.failure(http(503));
  c.failure(http(503));
  assert.equal(c.open, false);
  assert.match(c.failure(http(502))!, /^paused after 3 failed requests in a row; last: http:\/\/h\/x \(502\): d$/);
  assert.equal(c.open, true);
});
