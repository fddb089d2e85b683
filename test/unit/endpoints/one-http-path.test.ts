/**
 * Every endpoint call takes httpFetch, whatever the spelling of its URL: the size cap,
 * the no-redirect rule and the scheme check hold for `HTTP://` as for `http://`, and the
 * Batch API's calls (upload, status, download) take the same path with the file's own cap.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplyTooLarge, httpFetch } from '../../../src/endpoints/http-fetch';
import { BatchApi } from '../../../src/endpoints/batch-api';
import { EndpointError } from '../../../src/endpoints/endpoint-error';
import { HttpJsonPrmClient } from '../../../src/endpoints/prm-http-json';

/** Where redirects point: it counts what reaches it. */
let elsewhere: http.Server;
let elsewhereUrl: string;
let reachedElsewhere = 0;
/** `/big`: 3 MB; `/redirect/...`: 307 to the same path elsewhere; `/v1/files/f/content`: 3 MB of file; else 200 `{}`. */
let server: http.Server;
let upper: string;
const seen: string[] = [];

async function listen(s: http.Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

before(async () => {
  elsewhere = http.createServer((req, res) => {
    reachedElsewhere++;
    req.resume();
    res.end('{}');
  });
  elsewhereUrl = await listen(elsewhere);
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (req.url!.startsWith('/redirect/')) {
        res.writeHead(307, { location: `${elsewhereUrl}${req.url}` });
        return res.end();
      }
      if (req.url === '/big' || req.url!.endsWith('/content')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.alloc(3 << 20, 0x61));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  upper = (await listen(server)).replace('http://', 'HTTP://');
});
after(async () => {
  server.closeAllConnections();
  elsewhere.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => elsewhere.close(() => r()));
});

test('HTTP:// is requested through the same path: the reply\'s URL in one spelling, and a reply past its cap refused', async () => {
  const ok = await httpFetch(`${upper}/ok`);
  assert.equal(ok.url, `${upper.toLowerCase()}/ok`);
  await assert.rejects(httpFetch(`${upper}/big`, { maxBytes: 1 << 20 }), (e: unknown) => e instanceof ReplyTooLarge && e.message === `reply larger than ${1 << 20} bytes; stopped reading`);
  // A sink takes the bytes as they come, under the same cap.
  let sunk = 0;
  const whole = await httpFetch(`${upper}/big`, { maxBytes: 4 << 20, sink: async (c) => void (sunk += c.length) });
  assert.equal(sunk, 3 << 20);
  assert.equal((await whole.text()).length, 0);
  await assert.rejects(httpFetch(`${upper}/big`, { maxBytes: 1 << 20, sink: async () => {} }), ReplyTooLarge);
});

test('a redirect is handed back as the 3xx it is, for HTTP:// too; nothing reaches where it points', async () => {
  const before = reachedElsewhere;
  for (const base of [upper, upper.toLowerCase()]) {
    const reply = await httpFetch(`${base}/redirect/x`, { method: 'POST', body: '{}' });
    assert.equal(reply.status, 307);
    assert.equal(reply.headers.get('location'), `${elsewhereUrl}/redirect/x`);
  }
  const prm = new HttpJsonPrmClient({ baseURL: `${upper}/redirect/prm`, model: 'prm', timeoutMs: 5_000 });
  await assert.rejects(prm.scoreSteps('q', ['a']), (e: unknown) => {
    assert.ok(e instanceof EndpointError && e.kind === 'http' && e.status === 307, String(e));
    assert.match(e.message, new RegExp(`redirected to ${elsewhereUrl.replace(/[./]/g, '\\$&')}/redirect/prm; redirects are not followed`));
    return true;
  });
  assert.equal(reachedElsewhere, before);
});

test('only http and https are requested', async () => {
  for (const url of ['file:///etc/passwd', 'FTP://127.0.0.1/x', 'data:text/plain,hi']) {
    await assert.rejects(httpFetch(url), (e: unknown) => e instanceof TypeError && /only http and https URLs are requested/.test(e.message), url);
  }
  await assert.rejects(httpFetch('not a url'), /not a URL/);
});

test('the Batch API takes the same path: a redirect is not followed, and a file past its cap is refused once and leaves nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hsstar-batch-path-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, '{"custom_id":"a"}\n');
  const before = reachedElsewhere;
  const redirected = new BatchApi({ baseURL: `${upper}/redirect/v1`, apiKey: 'sk-test-batch-0123', retryDelayMs: 1 });
  for (const call of [() => redirected.upload(input), () => redirected.status('b1'), () => redirected.download('f', join(dir, 'out.jsonl'))]) {
    await assert.rejects(call(), (e: unknown) => e instanceof EndpointError && e.status === 307 && /redirects are not followed/.test(e.message));
  }
  assert.equal(reachedElsewhere, before, 'no upload, poll or download followed the redirect');

  const api = new BatchApi({ baseURL: `${upper}/v1`, maxFileBytes: 1 << 20, retryDelayMs: 1 });
  const dest = join(dir, 'out.jsonl');
  const calls = seen.length;
  await assert.rejects(api.download('f', dest), (e: unknown) => e instanceof EndpointError && e.kind === 'malformed' && e.message.includes(`reply larger than ${1 << 20} bytes; stopped reading`));
  assert.equal(seen.length, calls + 1, 'not asked again: it would only be as large');
  assert.equal(existsSync(dest), false, 'no partial file left');
  const roomy = new BatchApi({ baseURL: `${upper}/v1`, maxFileBytes: 4 << 20 });
  assert.equal(await roomy.download('f', dest), 3 << 20);
});
