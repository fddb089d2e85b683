/**
 * A run folder received from someone else (through git, a copy) names the endpoints it
 * sends requests to. Through real child processes of the built CLI (`dist/cli.js`) and
 * real HTTP servers on 127.0.0.1: nothing is sent to a URL this machine's user has not
 * approved (with no key as with one), a URL is approved and requested in one spelling
 * whatever its case, replies over the size cap and redirects get the same treatment on
 * every route, and a key reaches only the URLs approved for it.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestServer } from '../support/test-server';
import { ensureBuiltCli, runBuiltCli } from '../support/cli-child';

const KEY = 'sk-received-run-0123456789abcdef';
const CAP = 64 * 1024 * 1024;

before(ensureBuiltCli);

/** `hsstar ARGS` (the built CLI) with a config folder of its own and the given variables. */
const hsstar = (config: string, args: string[], extra: Record<string, string> = {}) => runBuiltCli(args, { HSSTAR_CONFIG_DIR: config, ...extra });

/** sha256 over every file's path and bytes under `dir`. */
function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(dir, p)}\n`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** A scratch folder with a two-problem dataset; removed after the test. */
function scratch(t: { after: (fn: () => void) => void }, problems = 2): { root: string; dataset: string } {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-received-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dataset = join(root, 'data.jsonl');
  writeFileSync(dataset, ['What is 3+4?', 'What is 2+5?'].slice(0, problems).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' })).join('\n') + '\n');
  return { root, dataset };
}

const SMALL = ['--budget', '2', '--presample', '2', '--n-per-request', '2'];

/** A server on 127.0.0.1 answering every request with `handle`; it records each request's path and Authorization header. */
async function rawServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; seen: { path: string; auth: string | undefined }[]; close(): Promise<void> }> {
  const seen: { path: string; auth: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A server whose every reply is a 200 JSON body that never ends: it writes until the client hangs up. */
function endlessReplies() {
  return rawServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write('{"step_scores": [');
    pump();
  });
}

/** A server that redirects every request to the same path on `target`. */
function redirectingTo(target: string) {
  return rawServer((req, res) => {
    res.writeHead(307, { location: `${target}${req.url ?? '/'}` });
    res.end();
  });
}

const upper = (url: string) => url.replace('http://', 'HTTP://');

test('a received run with no key sends nothing until this machine approves its URLs; its creator approved them as it was made', async (t) => {
  const { root, dataset } = scratch(t);
  const server = await startTestServer();
  t.after(() => server.close());
  const alice = join(root, 'alice-config');
  const bob = join(root, 'bob-config');
  const dir = join(root, 'run');
  const init = await hsstar(alice, ['init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'policy', '--prm-url', `${server.url}/prm`, ...SMALL]);
  assert.equal(init.code, 0, init.err);
  const received = join(root, 'received');
  cpSync(dir, received, { recursive: true });
  const before = folderHash(received);

  let r = await hsstar(bob, ['run', received, '--stage', 'rde']);
  assert.equal(r.code, 1);
  assert.match(r.err, /endpoints you have not approved on this machine:\n {2}policy: no key -> http:\/\/127\.0\.0\.1:\d+\/v1\n {2}prm: no key -> http:\/\/127\.0\.0\.1:\d+\/prm\n/);
  assert.match(r.err, new RegExp(`hsstar trust ${received} --yes`));
  assert.equal(server.requests.length, 0, 'not one request before the approval');
  assert.equal(folderHash(received), before, 'nothing written');
  assert.ok(!r.err.includes('    at '), 'no stack trace');

  // Listing alone approves nothing, and (no terminal to ask on) says how to approve.
  r = await hsstar(bob, ['trust', received]);
  assert.equal(r.code, 1);
  assert.match(r.out, /NOT APPROVED {2}policy: no key -> http:\/\/127\.0\.0\.1:\d+\/v1\nNOT APPROVED {2}prm: no key -> /);
  assert.match(r.err, new RegExp(`hsstar trust ${received} --yes`));
  assert.equal(existsSync(join(bob, 'approved-keys.json')), false);

  r = await hsstar(bob, ['trust', received, '--yes']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /approved 2 in /);
  r = await hsstar(bob, ['run', received, '--stage', 'rde']);
  assert.equal(r.code, 0, r.err);
  assert.ok(server.requests.length > 0 && server.requests.every((q) => q.headers.authorization === undefined));

  // The creator's own machine approved the run's URLs at init: it runs without a trust step.
  const sent = server.requests.length;
  r = await hsstar(alice, ['run', dir, '--stage', 'rde']);
  assert.equal(r.code, 0, r.err);
  assert.ok(server.requests.length > sent);
});

test('HTTP://127.0.0.1:PORT is approved and requested as http://127.0.0.1:PORT, and a reply over the cap is refused as for the lower-case URL', async (t) => {
  const { root, dataset } = scratch(t, 1);
  const policy = await startTestServer();
  const giant = await endlessReplies();
  t.after(async () => {
    await policy.close();
    await giant.close();
  });
  const config = join(root, 'config');
  const results: string[] = [];
  for (const [name, spell] of [['upper', upper], ['lower', (u: string) => u]] as const) {
    const dir = join(root, name);
    const init = await hsstar(config, ['init', dir, '--dataset', dataset, '--policy-url', spell(`${policy.v1}/`), '--policy-model', 'policy', '--prm-url', spell(`${giant.url}/prm`), '--budget', '1', '--presample', '1']);
    assert.equal(init.code, 0, init.err);
    // One approval per URL, in the spelling the clients request.
    const approvals = JSON.parse(readFileSync(join(config, 'approved-keys.json'), 'utf8')) as { approvals: { url: string }[] };
    assert.deepEqual(approvals.approvals.map((a) => a.url), [policy.v1, `${giant.url}/prm`]);
    const listed = await hsstar(config, ['trust', dir]);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, new RegExp(`approved {6}policy: no key -> ${policy.v1.replace(/[./]/g, '\\$&')}\n`));

    const r = await hsstar(config, ['run', dir, '--stage', 'rde', '--request-timeout', '30']);
    assert.notEqual(r.code, 0);
    assert.match(r.out + r.err, /failed|paused/);
    const failures = readFileSync(join(dir, 'scores.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"kind":"failure"'));
    assert.equal(failures.length, 1, `${r.out}\n${r.err}`);
    const { at: _at, ...failure } = JSON.parse(failures[0]!) as { at: string; message: string };
    assert.match(failure.message, new RegExp(`reply larger than ${CAP} bytes; stopped reading`));
    results.push(JSON.stringify(failure));
  }
  // The policy server saw lower-case requests to the approved path only.
  assert.ok(policy.requests.length > 0 && policy.requests.every((q) => q.path === '/v1/chat/completions' && q.headers.host === new URL(policy.url).host));
  assert.ok(giant.seen.every((s) => s.path === '/prm'));
  assert.equal(results[0], results[1], 'the same failure record, whatever the case of the URL');
});

test('a redirect is not followed, on the policy, PRM, reward and Batch API routes alike', async (t) => {
  const { root, dataset } = scratch(t);
  const good = await startTestServer();
  // Where the redirects point: a server nobody approved. It must see nothing.
  const elsewhere = await startTestServer();
  const redirect = await redirectingTo(elsewhere.url);
  t.after(async () => {
    await good.close();
    await elsewhere.close();
    await redirect.close();
  });
  const config = join(root, 'config');
  const env = { HSSTAR_KEY: KEY };
  const runs: [string, string[], RegExp][] = [
    ['policy', ['--policy-url', upper(`${redirect.url}/v1`)], /\/v1\/chat\/completions \(307\): redirected to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions; redirects are not followed/],
    ['prm', ['--policy-url', good.v1, '--prm-url', upper(`${redirect.url}/prm`)], /\/prm \(307\): redirected to http:\/\/127\.0\.0\.1:\d+\/prm; redirects are not followed/],
    ['reward', ['--policy-url', good.v1, '--reward-url', upper(`${redirect.url}/reward`)], /\/reward \(307\): redirected to http:\/\/127\.0\.0\.1:\d+\/reward; redirects are not followed/],
  ];
  for (const [name, urls, expected] of runs) {
    const dir = join(root, name);
    const init = await hsstar(config, ['init', dir, '--dataset', dataset, '--policy-model', 'policy', '--api-key-env', 'HSSTAR_KEY', ...urls, ...SMALL], env);
    assert.equal(init.code, 0, init.err);
    assert.equal((await hsstar(config, ['trust', dir, '--yes'], env)).code, 0);
    const r = await hsstar(config, ['run', dir, '--stage', 'rde'], env);
    assert.notEqual(r.code, 0, `${name}: ${r.out}`);
    assert.match(readFileSync(join(dir, 'scores.jsonl'), 'utf8'), expected, name);
  }

  const dir = join(root, 'batch');
  assert.equal((await hsstar(config, ['init', dir, '--dataset', dataset, '--policy-model', 'policy', '--api-key-env', 'HSSTAR_KEY', '--policy-url', upper(`${redirect.url}/v1`), ...SMALL], env)).code, 0);
  const before = folderHash(dir);
  const r = await hsstar(config, ['batch', 'export', dir, '--stage', 'rde', '--out', join(root, 'batch.jsonl'), '--submit', '--poll-seconds', '0.01'], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /\/v1\/files \(307\): redirected to http:\/\/127\.0\.0\.1:\d+\/v1\/files; redirects are not followed/);
  assert.equal(folderHash(dir), before);

  assert.equal(elsewhere.requests.length, 0, 'no request, no data, no key followed a redirect');
  assert.ok(redirect.seen.length >= 4);
  // The policy (and its Batch API) has the key, the PRM and reward none: each got what was approved for it.
  for (const s of redirect.seen) assert.equal(s.auth, s.path.startsWith('/v1/') ? `Bearer ${KEY}` : undefined, s.path);
  for (const out of [r.out, r.err]) assert.ok(!out.includes(KEY));
});

test('the key reaches only URLs approved for it: a replica or an endpoint added to a received run gets no request', async (t) => {
  const { root, dataset } = scratch(t);
  const mine = await startTestServer();
  const added = await startTestServer();
  t.after(async () => {
    await mine.close();
    await added.close();
  });
  const alice = join(root, 'alice-config');
  const bob = join(root, 'bob-config');
  const env = { HSSTAR_KEY: KEY };
  const dir = join(root, 'run');
  assert.equal((await hsstar(alice, ['init', dir, '--dataset', dataset, '--policy-url', mine.v1, '--policy-model', 'policy', '--api-key-env', 'HSSTAR_KEY', ...SMALL], env)).code, 0);
  assert.equal((await hsstar(bob, ['trust', dir, '--yes'], env)).code, 0);
  let r = await hsstar(bob, ['run', dir, '--stage', 'rde'], env);
  assert.equal(r.code, 0, r.err);
  assert.ok(mine.requests.length > 0 && mine.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`));
  const sent = mine.requests.length;

  // Someone edits the folder: a second policy replica, and a PRM with no key, both on another server.
  const file = join(dir, 'hsstar.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings.policy.baseURLs = [mine.v1, added.v1];
  settings.budget.N = 4;
  settings.prm = { protocol: 'http-json', baseURLs: [`${added.url}/prm`], model: 'prm' };
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  const before = folderHash(dir);
  r = await hsstar(bob, ['run', dir], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /\n {2}policy: \$HSSTAR_KEY -> http:\/\/127\.0\.0\.1:\d+\/v1\n {2}prm: no key -> http:\/\/127\.0\.0\.1:\d+\/prm\n/);
  assert.equal(added.requests.length, 0, 'the added server got no request at all');
  assert.equal(mine.requests.length, sent, 'and the approved one nothing either: the run did not start');
  assert.equal(folderHash(dir), before);

  // An approval without a key does not cover the same URL with one.
  settings.policy.baseURLs = [mine.v1];
  settings.prm.apiKeyEnv = 'HSSTAR_KEY';
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  const withoutKey = JSON.parse(readFileSync(join(bob, 'approved-keys.json'), 'utf8'));
  withoutKey.approvals.push({ url: `${added.url}/prm`, approvedAt: new Date().toISOString() });
  writeFileSync(join(bob, 'approved-keys.json'), JSON.stringify(withoutKey));
  r = await hsstar(bob, ['run', dir], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /\n {2}prm: \$HSSTAR_KEY -> http:\/\/127\.0\.0\.1:\d+\/prm\n/);
  assert.equal(added.requests.length, 0);
  assert.ok(!(r.out + r.err).includes(KEY));
});
