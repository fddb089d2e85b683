import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { approveRunEndpoints } from '../../../src/store/key-approvals';
import { testConfigEnv } from '../../support/user-config';
import { readDataset } from '../../../src/store/dataset/index';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { stateOf } from '../../../src/pipeline/derive-from-store';
import { startTestServer } from '../../support/test-server';
import { runCli } from '../../support/cli-capture';

const MATH500 = new URL('../../fixtures/benchmarks/math500.jsonl', import.meta.url).pathname;

const cli = (argv: string[], cwd: string) => runCli(argv, cwd);

/**
 * What `vllm run-batch` does with an input file: send each line's body to the engine and
 * write one output line per request. Here the engine is the local test server.
 */
async function runBatch(input: string, output: string, v1: string): Promise<void> {
  const lines = (await readFile(input, 'utf8')).trim().split('\n');
  const out: string[] = [];
  for (const [k, line] of lines.entries()) {
    const req = JSON.parse(line) as { custom_id: string; url: string; body: unknown };
    const res = await fetch(`${v1}${req.url.replace(/^\/v1/, '')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) });
    out.push(JSON.stringify({ id: `vllm-${k}`, custom_id: req.custom_id, response: { status_code: res.status, request_id: `vllm-batch-${k}`, body: await res.json() }, error: null }));
  }
  await writeFile(output, out.join('\n') + '\n');
}

test('a whole run sampled through batch files: RDE out and in, PRM scoring live, re-sampling out and in', async () => {
  const problems: Problem[] = [];
  for await (const p of readDataset(MATH500)) {
    problems.push(p);
    if (problems.length === 9) break;
  }
  const answers = new Map(problems.map((p, i) => [p.question, { answer: p.answer, kind: i % 3 }]));
  let flip = 0;
  const server = await startTestServer({
    policy: ({ prompt, n }) =>
      Array.from({ length: n }, () => {
        const a = answers.get(prompt)!;
        const right = a.kind === 0 || (a.kind === 2 && flip++ % 2 === 0);
        return `Work it out.\n\nThe answer is \\boxed{${right ? a.answer : '-1'}}.`;
      }),
    stepScores: (_q, steps) => steps.map(() => (steps.at(-1)?.includes('{-1}') ? 0.1 : 0.9)),
  });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-batch-trip-'));
  try {
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: MATH500, sha256: 'e'.repeat(64) },
      policy: { baseURLs: [server.v1], model: 'policy', nPerRequest: 2 },
      prm: { protocol: 'http-json', baseURLs: [`${server.url}/prm`], model: 'prm' },
      budget: { N: 6, presample: 3 },
      thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    });
    await (await ProjectStore.create(join(root, 'run'), settings, problems)).close();
    // Made here, so approved here, as `hsstar init` approves the runs it makes.
    await approveRunEndpoints(testConfigEnv(), settings);

    let r = await cli(['batch', 'export', 'run', '--stage', 'rde', '--out', 'rde.jsonl'], root);
    assert.equal(r.code, 0, r.err);
    await runBatch(join(root, 'rde.jsonl'), join(root, 'rde.output.jsonl'), server.v1);
    r = await cli(['batch', 'import', 'run', 'rde.output.jsonl'], root);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /27 responses stored/);
    const policyCalls = server.stats.received['/v1/chat/completions'] ?? 0;

    // The live run only scores: every pre-sample is on disk already.
    r = await cli(['run', 'run', '--stage', 'rde'], root);
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(server.stats.received['/v1/chat/completions'] ?? 0, policyCalls, 'no policy request bought twice');

    r = await cli(['batch', 'export', 'run', '--stage', 'resample', '--out', 're.jsonl'], root);
    assert.equal(r.code, 0, r.err);
    await runBatch(join(root, 're.jsonl'), join(root, 're.output.jsonl'), server.v1);
    r = await cli(['batch', 'import', 'run', 're.output.jsonl'], root);
    assert.equal(r.code, 0, r.err);
    r = await cli(['run', 'run'], root);
    assert.equal(r.code, 0, r.err + r.out);

    const { store } = await ProjectStore.open(join(root, 'run'), { write: false });
    try {
      const state = stateOf(store);
      // kind 0 always right (Inlier), kind 1 never (Outlier), kind 2 mixed (Boundary).
      assert.deepEqual(state.counts, { inlier: 3, outlier: 3, boundary: 3, unlabelled: 0 });
      assert.equal(store.responseCount, settings.budget.N * problems.length, 'exactly N × |D| responses');
      for (const p of state.problems) assert.ok(p.responses.every((v) => v.grade !== null && v.stepScores !== null), `${p.problem.id} fully graded and scored`);
      assert.equal(server.stats.received['/v1/chat/completions'], (await readFile(join(root, 'rde.jsonl'), 'utf8')).trim().split('\n').length + (await readFile(join(root, 're.jsonl'), 'utf8')).trim().split('\n').length);
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
