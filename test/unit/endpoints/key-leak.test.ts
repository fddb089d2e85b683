/**
 * The key on the path production takes: `hsstar run` (the built CLI, a child process) reads
 * it with resolveApiKey, checks the run's approvals in createClients, and sends it through
 * the sampling thread and the JSON clients to a real local server that records the
 * Authorization header of every request and echoes it back in its error bodies.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../support/test-server';
import { ensureBuiltCli, runBuiltCli } from '../../support/cli-child';

const KEY = 'sk-proj-Zq8vLk3Rt7Wm2Xn5Pc9Hd4Jf';

before(ensureBuiltCli);

const hsstar = (env: Record<string, string>, args: string[]) => runBuiltCli(args, env);

/** Every file under `dir`, with its text. */
function files(dir: string): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [[p, readFileSync(p, 'latin1')] as [string, string]];
  });
}

test('the key goes only to the approved URLs, and never into output, a log line or a file, even from a server that echoes it', async (t) => {
  const server = await startTestServer();
  const stranger = await startTestServer();
  const root = mkdtempSync(join(tmpdir(), 'hsstar-key-'));
  t.after(async () => {
    await server.close();
    await stranger.close();
    rmSync(root, { recursive: true, force: true });
  });
  const dataset = join(root, 'data.jsonl');
  writeFileSync(dataset, [0, 1, 2, 3, 4].map((i) => JSON.stringify({ id: `p${i}`, question: `What is ${i}+1?`, answer: String(i + 1) })).join('\n') + '\n');
  const dir = join(root, 'run');
  // The SDK's debug log, asked for in the environment, must not print the headers either.
  const env = { HSSTAR_TEST_KEY: KEY, HSSTAR_CONFIG_DIR: join(root, 'config'), OPENAI_LOG: 'debug', NO_COLOR: '1' };
  const init = await hsstar(env, ['init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'm', '--api-key-env', 'HSSTAR_TEST_KEY',
    '--prm-url', `${server.url}/prm`, '--prm-key-env', 'HSSTAR_TEST_KEY', '--budget', '1', '--presample', '1', '--n-per-request', '1', '--concurrency', '1']);
  assert.equal(init.code, 0, init.err);

  // A reward endpoint on another server, added to the folder by hand, with the same key: not approved.
  const file = join(dir, 'hsstar.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...settings, reward: { protocol: 'http-json', baseURLs: [`${stranger.url}/reward`], model: 'rm', apiKeyEnv: 'HSSTAR_TEST_KEY' } }));
  const refused = await hsstar(env, ['run', dir]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /reward: \$HSSTAR_TEST_KEY -> http:\/\/127\.0\.0\.1:\d+\/reward/);
  assert.equal(stranger.requests.length + server.requests.length, 0, 'no request at all before the approval');
  writeFileSync(file, JSON.stringify(settings));

  // Two policy failures that are retried, two that are not; every PRM request refused; all echo the headers.
  server.setFaults(
    { kind: 'status', status: 500, echoHeaders: true, route: '/v1/chat/completions' },
    { kind: 'status', status: 429, retryAfter: '0', echoHeaders: true, route: '/v1/chat/completions' },
    { kind: 'status', status: 401, echoHeaders: true, route: '/v1/chat/completions' },
    { kind: 'status', status: 400, echoHeaders: true, route: '/v1/chat/completions' },
    { kind: 'status', status: 403, echoHeaders: true, route: '/prm', times: 50 },
  );
  const r = await hsstar(env, ['run', dir, '--stage', 'rde']);
  assert.equal(r.code, 1, r.out + r.err);

  // The key did travel, to the approved server only, and came back in the echoed bodies: the redaction is what kept it out.
  assert.ok(server.requests.some((q) => q.path === '/prm'), r.out + r.err);
  assert.ok(server.requests.length > 0 && server.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`));
  assert.equal(stranger.requests.length, 0);
  const written = files(dir);
  const scores = written.find(([p]) => p.endsWith('scores.jsonl'))![1];
  assert.match(scores, /authorization was Bearer \[redacted\]/);
  assert.equal((scores.match(/"kind":"failure"/g) ?? []).length >= 3, true, scores);
  for (const text of [r.out, r.err, refused.out, refused.err]) assert.ok(!text.includes(KEY), `leak in the output: ${text}`);
  for (const [p, text] of [...written, ...files(join(root, 'config'))]) assert.ok(!text.includes(KEY), `leak in ${p}`);
});
