import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../support/test-server';
import { resolveApiKey } from '../../../src/endpoints/api-key';
import { createPolicySamplers, createPrmClients } from '../../../src/endpoints/create-clients';
import { sampleResponses } from '../../../src/pipeline/engine/sample-responses';
import { scoreAllSteps } from '../../../src/pipeline/engine/score-steps';

const KEY = 'sk-proj-Zq8vLk3Rt7Wm2Xn5Pc9Hd4Jf';

test('the key never appears in a log line, an error message or a file of the project folder', async () => {
  // The server echoes request headers (the Authorization header first) in its error bodies.
  const server = await startTestServer();
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-key-'));
  const env = { HSSTAR_TEST_KEY: KEY };
  // Whatever reaches the console counts as a log line too, even with the SDK's debug log asked for.
  const consoleLines: string[] = [];
  const saved = { ...console };
  const savedLog = process.env.OPENAI_LOG;
  process.env.OPENAI_LOG = 'debug';
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[m] = (...args: unknown[]) => void consoleLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  }
  try {
    const apiKey = resolveApiKey('HSSTAR_TEST_KEY', 'policy.apiKeyEnv', env);
    const settings = { baseURLs: [server.v1], model: 'm', apiKeyEnv: 'HSSTAR_TEST_KEY', nPerRequest: 1 };
    await writeFile(join(dir, 'hsstar.json'), JSON.stringify({ policy: settings }));
    const lines: string[] = [];
    const messages: string[] = [];
    const failures = join(dir, 'failures.jsonl');
    const record = async (e: Error) => {
      messages.push(e.message, String(e), e.stack ?? '');
      await appendFile(failures, `${JSON.stringify({ message: e.message })}\n`);
    };

    server.setFaults(
      { kind: 'status', status: 500, echoHeaders: true },
      { kind: 'status', status: 429, retryAfter: '0', echoHeaders: true },
      { kind: 'status', status: 401, echoHeaders: true },
      { kind: 'status', status: 400, echoHeaders: true },
    );
    const summary = await sampleResponses({
      samplers: createPolicySamplers(settings, { apiKey }),
      work: [0, 1, 2, 3, 4].map((p) => ({ problem: { id: `p${p}`, question: 'q' }, slots: [0] })),
      nPerRequest: 1,
      concurrency: 1,
      retry: { baseMs: 1, maxMs: 5 },
      log: (l) => lines.push(l),
      onFailure: (_w, e) => record(e),
      onResponses: (rs) => appendFile(join(dir, 'responses.jsonl'), rs.map((r) => `${JSON.stringify(r)}\n`).join('')),
    });
    assert.equal(summary.progress.failed, 2, 'the 401 and the 400 failed');

    server.setFaults({ kind: 'status', status: 403, echoHeaders: true, times: 50 });
    const prm = await scoreAllSteps({
      clients: createPrmClients({ protocol: 'vllm-qwen-prm', baseURLs: [server.url], model: 'prm' }, { apiKey }),
      work: [{ responseId: 'p0:0', question: 'q', steps: ['a'] }],
      concurrency: 1,
      circuitThreshold: 1,
      log: (l) => lines.push(l),
      onFailure: (_w, e) => record(e),
      onScores: async () => {},
    });
    lines.push(prm.reason ?? '');

    // The key did travel and did come back in the echoed bodies: the redaction is what kept it out.
    assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
    assert.ok(lines.length >= 3 && messages.length >= 3);
    assert.ok(messages.some((m) => m.includes('authorization was Bearer [redacted]')), messages.join('\n'));
    for (const text of [...lines, ...messages]) assert.ok(!text.includes(KEY), `leak: ${text}`);
    for (const name of await readdir(dir)) {
      const content = await readFile(join(dir, name), 'utf8');
      assert.ok(!content.includes(KEY), `leak in ${name}`);
    }
  } finally {
    Object.assign(console, saved);
    if (savedLog === undefined) delete process.env.OPENAI_LOG;
    else process.env.OPENAI_LOG = savedLog;
    for (const line of consoleLines) assert.ok(!line.includes(KEY), `leak on the console: ${line}`);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
