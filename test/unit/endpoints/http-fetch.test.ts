import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch, isTimeout } from '../../../src/endpoints/http-fetch';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('httpFetch replies', () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('X-Request-Id', 'req-7');
        res.setHeader('Content-Type', 'application/json');
        res.statusCode = req.url === '/missing' ? 404 : 200;
        res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('status, headers (any case, repeated ones joined) and the body, readable once', async () => {
    const res = await httpFetch(`${url}/x`, { method: 'POST', headers: { Authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"q":1}' });
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('x-request-id'), 'req-7');
    assert.equal(res.headers.get('X-REQUEST-ID'), 'req-7');
    assert.equal(res.headers.get('set-cookie'), 'a=1, b=2');
    assert.equal(res.headers.get('absent'), null);
    assert.ok([...res.headers.entries()].some(([k, v]) => k === 'content-type' && v === 'application/json'));
    assert.deepEqual(await res.json(), { method: 'POST', body: '{"q":1}', auth: 'Bearer k' });
    assert.equal(res.bodyUsed, true);
    await assert.rejects(res.text(), TypeError);
  });

  test('a failure status is a reply, not an error', async () => {
    const res = await httpFetch(new URL(`${url}/missing`), { headers: new Headers({ accept: 'application/json' }) });
    assert.equal(res.status, 404);
    assert.equal(res.ok, false);
    assert.equal((JSON.parse(await res.text()) as { method: string }).method, 'GET');
  });

  test('a refused connection is a TypeError("fetch failed") with the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(httpFetch(`http://127.0.0.1:${port}/`), (e: unknown) => e instanceof TypeError && e.message === 'fetch failed' && e.cause instanceof Error);
  });
});

describe('httpFetch cancellation', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('one cancel signal shared by many requests cuts them all on the wire', async () => {
    const count = 40;
    server.setFaults({ kind: 'hang', times: count });
    const ac = new AbortController();
    const pending = Array.from({ length: count }, () =>
      httpFetch(`${server.url}/prm`, { method: 'POST', body: '{"question":"q","steps":[]}', cancel: ac.signal }),
    );
    while ((server.stats.received['/prm'] ?? 0) < count) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const results = await Promise.allSettled(pending);
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as Error).name === 'AbortError'));
    // The server sees each connection closed: nothing is left hanging.
    while (server.stats.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.stats.faultsServed, count);
  });

  test('requests that finished are not touched by a later abort; an aborted signal refuses at once', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 5; i++) {
      const res = await httpFetch(`${server.url}/prm`, { method: 'POST', body: '{"question":"q","steps":["a"]}', cancel: ac.signal });
      assert.deepEqual(await res.json(), { step_scores: [0.5] });
    }
    ac.abort();
    const before = server.stats.received['/prm'] ?? 0;
    await assert.rejects(httpFetch(`${server.url}/prm`, { method: 'POST', body: '{}', cancel: ac.signal }), { name: 'AbortError' });
    assert.equal(server.stats.received['/prm'] ?? 0, before, 'nothing was sent');
  });

  test('timeoutMs: a server that never answers is dropped after that long, with a TimeoutError', async () => {
    server.setFaults({ kind: 'hang', times: 1 });
    const started = performance.now();
    const err = await httpFetch(`${server.url}/prm`, { method: 'POST', body: '{}', timeoutMs: 150 }).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    const took = performance.now() - started;
    assert.ok(isTimeout(err), String(err));
    assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
    // The connection is closed, not left hanging on the server.
    while (server.stats.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  });

  test('timeoutMs counts to the last byte: headers in time but a body that stops is dropped too', async () => {
    const slow = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data": [');
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const port = (slow.address() as AddressInfo).port;
      await assert.rejects(httpFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}', timeoutMs: 100 }), (e: unknown) => isTimeout(e));
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  test('timeoutMs: a reply within time resolves, and a cancel after it changes nothing', async () => {
    const ac = new AbortController();
    const res = await httpFetch(`${server.url}/prm`, { method: 'POST', body: '{"question":"q","steps":["a"]}', timeoutMs: 5_000, cancel: ac.signal });
    ac.abort();
    assert.deepEqual(await res.json(), { step_scores: [0.5] });
    // Its timer was cleared: a process doing only this exits at once, not after 30 s. (Spawned
    // without blocking: the server answering it runs in this process.)
    const { spawn } = await import('node:child_process');
    const script = `import { httpFetch } from ${JSON.stringify(new URL('../../../src/endpoints/http-fetch.ts', import.meta.url).href)};
const r = await httpFetch(${JSON.stringify(`${server.url}/prm`)}, { method: 'POST', body: '{"question":"q","steps":[]}', timeoutMs: 30000 });
process.stdout.write(await r.text());`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const killer = setTimeout(() => child.kill(), 20_000);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearTimeout(killer);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), { step_scores: [] });
    assert.ok(performance.now() - started < 15_000, 'the process waited for the timer');
  });

  test('the fetch signal (a caller\'s timeout) and the cancel signal both work', async () => {
    server.setFaults({ kind: 'hang', times: 1 });
    const started = performance.now();
    await assert.rejects(httpFetch(`${server.url}/prm`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50), cancel: new AbortController().signal }), { name: 'AbortError' });
    assert.ok(performance.now() - started < 2000);
  });
});
