import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectStore } from '../../../src/store/project';
import { readDataset } from '../../../src/store/dataset/index';
import { RunSettings, type Problem } from '../../../src/core/schema/index';
import { BatchInputLine, decodeCustomId } from '../../../src/core/batch/index';
import { exportBatch, importBatch } from '../../../src/pipeline/batch/index';
import { stateOf } from '../../../src/pipeline/derive-from-store';

const MATH500 = new URL('../../fixtures/benchmarks/math500.jsonl', import.meta.url).pathname;

async function firstProblems(n: number): Promise<Problem[]> {
  const out: Problem[] = [];
  for await (const p of readDataset(MATH500)) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
}

function settings(): RunSettings {
  return RunSettings.parse({
    formatVersion: 1,
    dataset: { path: MATH500, sha256: 'a'.repeat(64) },
    policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'policy-7b', nPerRequest: 2, apiKeyEnv: 'HSSTAR_TEST_KEY' },
    budget: { N: 4, presample: 3 },
    thresholds: { tauLow: 0.15, tauHigh: 0.65 },
  });
}

/** What a batch engine would answer: correct boxed answers for even slots, wrong for odd ones. */
function answerFile(inputText: string, problems: Map<string, Problem>, opts: { failEvery?: number } = {}): string {
  const lines: string[] = [];
  inputText
    .trim()
    .split('\n')
    .forEach((l, k) => {
      const req = BatchInputLine.parse(JSON.parse(l));
      const target = decodeCustomId(req.custom_id)!;
      if (opts.failEvery && k % opts.failEvery === 0) {
        lines.push(JSON.stringify({ id: `batch_req_${k}`, custom_id: req.custom_id, response: { status_code: 500, request_id: `r${k}`, body: { error: { message: 'engine crashed' } } }, error: null }));
        return;
      }
      const answer = problems.get(target.problemId)!.answer;
      const choices = target.slots.map((slot, i) => ({
        index: i,
        message: { role: 'assistant', content: slot % 2 === 0 ? `Step one.\n\nSo \\boxed{${answer}}` : 'Step one.\n\nSo \\boxed{-12345}' },
        finish_reason: 'stop',
      }));
      lines.push(
        JSON.stringify({
          id: `batch_req_${k}`,
          custom_id: req.custom_id,
          response: { status_code: 200, request_id: `r${k}`, body: { object: 'chat.completion', model: req.body.model, choices, usage: { prompt_tokens: 50, completion_tokens: 20 * choices.length } } },
          error: null,
        }),
      );
    });
  return lines.join('\n') + '\n';
}

test('export the RDE requests, import the answers, then the re-sampling requests follow the plan', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-batch-'));
  try {
    const problems = await firstProblems(12);
    const byId = new Map(problems.map((p) => [p.id, p]));
    const store = await ProjectStore.create(join(dir, 'run'), settings(), problems);
    try {
      const rdeFile = join(dir, 'rde.jsonl');
      const ex = await exportBatch(store, { stage: 'rde', out: rdeFile });
      // 3 pre-samples in requests of at most 2: [0,1] and [2] per problem.
      assert.equal(ex.requests, 24);
      assert.equal(ex.samples, 36);
      const input = await readFile(rdeFile, 'utf8');
      for (const l of input.trim().split('\n')) BatchInputLine.parse(JSON.parse(l));
      await assert.rejects(exportBatch(store, { stage: 'rde', out: rdeFile }), /already exists; pass --force/);

      const outFile = join(dir, 'rde-out.jsonl');
      await writeFile(outFile, answerFile(input, byId));
      const first = await importBatch(store, outFile);
      assert.deepEqual(first, { lines: 24, stored: 36, alreadyStored: 0, duplicates: 0, failed: 0, failuresSkipped: 0 });
      const again = await importBatch(store, outFile);
      assert.deepEqual(again, { lines: 24, stored: 0, alreadyStored: 36, duplicates: 0, failed: 0, failuresSkipped: 0 });
      assert.equal(store.counts().responses, 36);
      assert.equal(store.counts().grades, 36);

      // Slots 0 and 2 are right, slot 1 wrong: phi_a = 2/3, so every problem is Boundary (PRM none).
      const state = stateOf(store);
      assert.equal(state.counts.boundary, 12);
      const r = store.responsesOf(problems[0]!.id);
      assert.deepEqual(r.map((x) => [x.slot, x.stage, x.model, x.usage.prompt]), [
        [0, 'pre', 'policy-7b', 50],
        [1, 'pre', 'policy-7b', 50],
        [2, 'pre', 'policy-7b', 50],
      ]);

      // Nothing left for RDE; re-sampling: (4-3)*12 = 12 more responses, one slot (3) per problem.
      assert.equal((await exportBatch(store, { stage: 'rde', out: join(dir, 'none.jsonl') })).requests, 0);
      const reFile = join(dir, 're.jsonl');
      const re = await exportBatch(store, { stage: 'resample', out: reFile });
      assert.equal(re.samples, 12);
      const reInput = await readFile(reFile, 'utf8');
      assert.ok(reInput.trim().split('\n').every((l) => JSON.parse(l).custom_id.endsWith(':3')));
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('failed requests become failure records once; their slots stay pending for the next export', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-batch-'));
  try {
    const problems = await firstProblems(5);
    const store = await ProjectStore.create(join(dir, 'run'), settings(), problems);
    try {
      const rdeFile = join(dir, 'rde.jsonl');
      await exportBatch(store, { stage: 'rde', out: rdeFile });
      const outFile = join(dir, 'out.jsonl');
      await writeFile(outFile, answerFile(await readFile(rdeFile, 'utf8'), new Map(problems.map((p) => [p.id, p])), { failEvery: 3 }));
      const first = await importBatch(store, outFile);
      // 10 lines; lines 0, 3, 6, 9 failed.
      assert.equal(first.failed, 4);
      assert.equal(store.failures().length, 4);
      assert.match(store.failures()[0]!.message, /engine crashed/);
      assert.equal(store.failures()[0]!.status, 500);
      const again = await importBatch(store, outFile);
      assert.equal(again.failed, 0);
      assert.equal(again.failuresSkipped, 4);
      assert.equal(store.failures().length, 4);
      const retry = await exportBatch(store, { stage: 'rde', out: join(dir, 'retry.jsonl') });
      assert.equal(retry.requests, 4);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the batch file never carries the key; hostile texts come back byte-identical', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hsstar-batch-'));
  const key = 'sk-test-0123456789abcdef';
  process.env.HSSTAR_TEST_KEY = key;
  try {
    const problems = await firstProblems(1);
    const store = await ProjectStore.create(join(dir, 'run'), settings(), problems);
    try {
      const rdeFile = join(dir, 'rde.jsonl');
      await exportBatch(store, { stage: 'rde', out: rdeFile });
      const input = await readFile(rdeFile, 'utf8');
      assert.ok(!input.includes(key));
      assert.ok(!/authorization|api[_-]?key/i.test(input));
      const hostile = 'He said "hi"\n\n</script><script>alert(1)</script>\u0000\u001b[31mred\u001b[0m \\boxed{1}';
      const id = problems[0]!.id;
      const line = {
        id: 'x',
        custom_id: `hsstar:${id}:0`,
        response: { status_code: 200, request_id: 'r', body: { choices: [{ index: 0, message: { content: hostile }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } } },
        error: null,
      };
      const outFile = join(dir, 'out.jsonl');
      await writeFile(outFile, JSON.stringify(line) + '\n');
      await importBatch(store, outFile);
      assert.equal(store.responsesOf(id)[0]!.text, hostile);
    } finally {
      await store.close();
    }
    const onDisk = await readFile(join(dir, 'run', 'responses.jsonl'), 'utf8');
    assert.ok(!onDisk.includes('\u001b'), 'control characters are escaped on disk');
  } finally {
    delete process.env.HSSTAR_TEST_KEY;
    await rm(dir, { recursive: true, force: true });
  }
});
