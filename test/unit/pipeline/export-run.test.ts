import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveRunState } from '../../../src/core/state/derive';
import { exportPairs, manifestPathOf, settingsHash } from '../../../src/pipeline/export-run';
import { bad, input, ok, settings } from '../core/state/fixture';
import { tempDir } from './run-fixture';

const state = () => deriveRunState(input({ b: [ok(0.9, { text: 'right' }), bad(0.3, { text: 'wrong' }), ok(0.6)], i: [ok(0.9), ok(0.9), ok(0.9)] }));

test('export writes the rows, companions and a manifest, and never overwrites without force', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'out', 'pairs.jsonl');
    const r = await exportPairs(state(), { format: 'llama-factory', out, now: () => '2026-01-01T00:00:00.000Z' });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines, [
      {
        instruction: 'question b', input: '', chosen: 'right', rejected: 'wrong', system: settings().policy.systemPrompt,
        problem_id: 'b', chosen_id: 'b:0', rejected_id: 'b:1', score_chosen: 0.9, score_rejected: 0.3,
      },
    ]);
    assert.equal(r.manifestFile, join(dir, 'out', 'pairs.manifest.json'));
    const manifest = JSON.parse(await readFile(r.manifestFile, 'utf8'));
    assert.equal(manifest.pairs, 1);
    assert.deepEqual(manifest.labels, { inlier: 1, outlier: 0, boundary: 1, unlabelled: 0 });
    assert.equal(manifest.createdAt, '2026-01-01T00:00:00.000Z');
    assert.equal(manifest.settingsHash, settingsHash(settings()));
    assert.match(manifest.settingsHash, /^[0-9a-f]{64}$/);
    assert.equal(manifest.datasetHash, 'b'.repeat(64));
    const info = JSON.parse(await readFile(join(dir, 'out', 'dataset_info.json'), 'utf8'));
    assert.equal(info.hsstar_run_r0.file_name, 'pairs.jsonl');

    await writeFile(out, 'keep me\n');
    await assert.rejects(exportPairs(state(), { format: 'trl-conversational', out }), /already exists; pass --force/);
    assert.equal(await readFile(out, 'utf8'), 'keep me\n');
    // A chat run's string export is refused before anything is written.
    await assert.rejects(exportPairs(state(), { format: 'trl', out, force: true }), /--format trl: this run sampled a chat model/);
    assert.equal(await readFile(out, 'utf8'), 'keep me\n');
    await exportPairs(state(), { format: 'trl-conversational', out, force: true });
    assert.equal(JSON.parse((await readFile(out, 'utf8')).trim()).chosen[0].content, 'right');
    assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['dataset_info.json', 'pairs.jsonl', 'pairs.manifest.json']);
  } finally {
    await cleanup();
  }
});

test('the settings hash ignores key order and changes with a setting', () => {
  const a = settings();
  const { seed, ...rest } = a;
  const reordered = { ...JSON.parse(JSON.stringify(rest)), seed } as typeof a;
  assert.equal(settingsHash(reordered), settingsHash(a));
  assert.notEqual(settingsHash({ ...a, seed: 99 }), settingsHash(a));
  assert.equal(manifestPathOf('/x/y/pairs.jsonl'), '/x/y/pairs.manifest.json');
});
