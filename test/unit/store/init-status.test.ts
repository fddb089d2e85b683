import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';
import { ProjectStore } from '../../../src/store/project';
import { hashFile } from '../../../src/store/dataset/index';
import { captureIO } from '../dataset/capture';
import { response } from './fixtures/records';

const math500 = resolve('test/fixtures/benchmarks/math500.jsonl');

test('init creates a project from a dataset; status reports it, as text and as JSON', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-init-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const c = captureIO(root);
  assert.equal(await main(['init', 'run', '--dataset', math500], c.io), 0, c.err());
  assert.match(c.out(), /created .*run: 500 problems from .*math500\.jsonl \(layout problem\/answer\)/);
  // The advice names the folder as it is, so `code <dir>` opens the run there.
  assert.ok(c.out().includes(`next: hsstar run "${join(root, 'run')}"`), c.out());
  assert.ok(c.out().includes(`Review it in VS Code: code "${join(root, 'run')}"`), c.out());

  const { store } = await ProjectStore.open(join(root, 'run'), { write: true });
  assert.equal(store.settings.dataset.sha256, await hashFile(math500));
  assert.equal(store.problems()[0]?.id, 'test/precalculus/807.json');
  await store.appendResponses([{ ...response('test/precalculus/807.json', 0), finishReason: 'length' }, response('test/precalculus/807.json', 1)]);
  await store.appendScores([{ kind: 'grade', responseId: 'test/precalculus/807.json:0', extracted: '3', method: 'box', correct: true, grader: 'g' }]);

  // status reads while the writer holds the folder, and names it.
  const s = captureIO(root);
  assert.equal(await main(['status', 'run'], s.io), 0, s.err());
  assert.match(s.out(), /problems  500\n/);
  assert.match(s.out(), /responses 2 of a budget of 4000 \(N = 8, n_p = 3\): 2 pre-samples, 0 re-samples, 1 truncated/);
  assert.match(s.out(), /graded    1 \(100\.0% correct\)/);
  assert.match(s.out(), new RegExp(`writer    process ${process.pid} `));
  await store.close();

  const j = captureIO(root);
  assert.equal(await main(['status', 'run', '--json'], j.io), 0);
  const st = JSON.parse(j.out());
  assert.equal(st.problems.length, 500);
  assert.deepEqual(st.responses, { total: 2, pre: 2, re: 0, truncated: 1 });
  assert.equal(st.dataset.changed, false);
  assert.equal(st.writer, null);
});

test('init refuses bad usage (2), an existing project and a bad dataset (1), leaving no half project', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'hsstar-init-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.equal(await main(['init', 'run'], captureIO(root).io), 2, 'no --dataset');
  assert.equal(await main(['init', '--dataset', math500], captureIO(root).io), 2, 'no dir');
  assert.equal(await main(['init', 'run', '--dataset', math500], captureIO(root).io), 0);
  const again = captureIO(root);
  assert.equal(await main(['init', 'run', '--dataset', math500], again.io), 1);
  assert.match(again.err(), /already holds a project/);

  const bad = resolve('test/bad-inputs/datasets/duplicate-ids.jsonl');
  const b = captureIO(root);
  assert.equal(await main(['init', 'bad', '--dataset', bad], b.io), 1);
  assert.match(b.err(), /duplicate-ids\.jsonl:3: duplicate id '1', first seen on line 1/);
  assert.deepEqual(readdirSync(join(root, 'bad')), []);

  const skip = captureIO(root);
  assert.equal(await main(['init', 'skipped', '--dataset', bad, '--skip-bad'], skip.io), 0, skip.err());
  assert.match(skip.out(), /2 problems .*1 bad rows left out/);
  assert.ok(existsSync(join(root, 'skipped', 'hsstar.json')));

  const st = captureIO(root);
  assert.equal(await main(['status', 'nowhere'], st.io), 1);
  assert.match(st.err(), /not a project folder/);
});
