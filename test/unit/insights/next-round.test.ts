import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';
import { nextRoundInit } from '../../../src/cli/commands/next-round';
import { ProjectStore } from '../../../src/store/project';
import { captureIO } from '../dataset/capture';

const gsm8k = resolve('test/fixtures/benchmarks/gsm8k.jsonl');

test('a next round takes the earlier run settings, a new policy and a relative link back', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-round-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const data = join(root, 'gsm8k.jsonl');
  copyFileSync(gsm8k, data);
  const c = captureIO(root);
  assert.equal(await main(['init', 'r0', '--dataset', data], c.io), 0, c.err());

  const next = await nextRoundInit(join(root, 'r0'), join(root, 'r1'), { model: 'policy-round-1' });
  const { store } = await ProjectStore.open(join(root, 'r0'), { write: false });
  const previous = store.settings;
  await store.close();
  assert.deepEqual(next.settings.round, { index: 1, previousRun: '../r0' });
  assert.equal(next.settings.policy.model, 'policy-round-1');
  assert.deepEqual(next.settings.thresholds, previous.thresholds);
  assert.deepEqual(next.settings.dataset, previous.dataset);
  assert.equal(next.datasetPath, data);

  // A different file content is refused, naming the file.
  appendFileSync(data, JSON.stringify({ question: 'What is 1+1?', answer: '2' }) + '\n');
  await assert.rejects(nextRoundInit(join(root, 'r0'), join(root, 'r1'), {}), (e: Error) => e.message.startsWith(data) && /differs from round 0/.test(e.message));
  await assert.rejects(nextRoundInit(join(root, 'missing'), join(root, 'r1'), {}), /missing: not a readable project folder/);
});

test('hsstar init --next-round-of creates the next round; status shows the budget block', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-round-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const data = join(root, 'gsm8k.jsonl');
  copyFileSync(gsm8k, data);
  assert.equal(await main(['init', 'r0', '--dataset', data, '--price-prompt', '1', '--price-completion', '2'], captureIO(root).io), 0);
  const c = captureIO(root);
  assert.equal(await main(['init', 'r1', '--next-round-of', 'r0', '--policy-model', 'policy-round-1', '--policy-url', 'http://127.0.0.1:9100/v1'], c.io), 0, c.err());
  const { store } = await ProjectStore.open(join(root, 'r1'), { write: false });
  assert.deepEqual(store.settings.round, { index: 1, previousRun: '../r0' });
  assert.equal(store.settings.policy.model, 'policy-round-1');
  assert.deepEqual(store.settings.policy.baseURLs, ['http://127.0.0.1:9100/v1']);
  assert.deepEqual(store.settings.prices, { promptPerMTok: 1, completionPerMTok: 2 });
  const problems = store.problems().length;
  await store.close();

  assert.equal(await main(['init', 'r2', '--next-round-of', 'r0', '--policy-url', 'ftp://nowhere'], captureIO(root).io), 2, 'a bad URL is bad usage');
  const missing = captureIO(root);
  assert.equal(await main(['init', 'r2', '--next-round-of', 'nothing-here'], missing.io), 1);
  assert.match(missing.err(), /nothing-here: not a readable project folder/);

  const s = captureIO(root);
  assert.equal(await main(['status', 'r1'], s.io), 0, s.err());
  assert.match(s.out(), new RegExp(`budget    0 of ${8 * problems} responses \\(0\\.0 %\\), 0 prompt \\+ 0 completion tokens, \\$0\\.0000`));
  assert.match(s.out(), /pre-sampling: 0 of \d+ responses/);
  assert.match(s.out(), /failed requests: none/);
  const j = captureIO(root);
  assert.equal(await main(['status', 'r1', '--json'], j.io), 0);
  assert.equal(JSON.parse(j.out()).spend.planned.total, 8 * problems);
});
