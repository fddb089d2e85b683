import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderExport, isExportFormat } from '../../../../src/core/export/formats';
import { pairRows, renderPrompt, type PairRow } from '../../../../src/core/export/rows';
import { buildManifest, canonicalJson } from '../../../../src/core/export/manifest';
import { deriveRunState } from '../../../../src/core/state/derive';
import { bad, input, ok, settings } from '../state/fixture';

const row: PairRow = {
  problemId: 'p',
  chosenId: 'p:0',
  rejectedId: 'p:1',
  system: 'Reason step by step.',
  prompt: 'Solve: 1+1',
  chosen: 'It is \\boxed{2}',
  rejected: 'It is \\boxed{3}',
};

const lines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l));

test('TRL standard: prompt/chosen/rejected strings', () => {
  const out = renderExport('trl', [row], 'pairs.jsonl');
  assert.deepEqual(lines(out.content), [{ prompt: 'Solve: 1+1', chosen: 'It is \\boxed{2}', rejected: 'It is \\boxed{3}' }]);
  assert.ok(out.content.endsWith('\n'));
  assert.deepEqual(out.companions, []);
});

test('TRL conversational: system and user messages, one assistant turn per side', () => {
  const out = renderExport('trl-conversational', [row], 'pairs.jsonl');
  assert.deepEqual(lines(out.content), [
    {
      prompt: [
        { role: 'system', content: 'Reason step by step.' },
        { role: 'user', content: 'Solve: 1+1' },
      ],
      chosen: [{ role: 'assistant', content: 'It is \\boxed{2}' }],
      rejected: [{ role: 'assistant', content: 'It is \\boxed{3}' }],
    },
  ]);
  const noSystem = renderExport('trl-conversational', [{ ...row, system: '' }], 'x.jsonl');
  assert.deepEqual(lines(noSystem.content)[0].prompt, [{ role: 'user', content: 'Solve: 1+1' }]);
});

test('OpenRLHF: message lists plus ids, and the flags to read them', () => {
  const out = renderExport('openrlhf', [row], 'pairs.jsonl');
  const [rec] = lines(out.content);
  assert.deepEqual(rec.prompt[1], { role: 'user', content: 'Solve: 1+1' });
  assert.deepEqual(rec.chosen, [{ role: 'assistant', content: 'It is \\boxed{2}' }]);
  assert.deepEqual([rec.problem_id, rec.chosen_id, rec.rejected_id], ['p', 'p:0', 'p:1']);
  assert.match(out.usage, /--prompt_key prompt --chosen_key chosen --rejected_key rejected --apply_chat_template/);
});

test('LLaMA-Factory: alpaca ranking rows and the dataset_info entry', () => {
  const out = renderExport('llama-factory', [row], 'math-pairs.jsonl');
  assert.deepEqual(lines(out.content), [
    { instruction: 'Solve: 1+1', input: '', chosen: 'It is \\boxed{2}', rejected: 'It is \\boxed{3}', system: 'Reason step by step.' },
  ]);
  assert.equal(out.companions.length, 1);
  assert.equal(out.companions[0]!.name, 'dataset_info.json');
  assert.deepEqual(JSON.parse(out.companions[0]!.content), {
    math_pairs: {
      file_name: 'math-pairs.jsonl',
      ranking: true,
      columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', system: 'system' },
    },
  });
});

test('format names', () => {
  assert.ok(isExportFormat('trl'));
  assert.ok(isExportFormat('llama-factory'));
  assert.ok(!isExportFormat('csv'));
});

test('rows carry the prompt as sent and the response texts, in export order', () => {
  const s = settings({ policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'm', systemPrompt: 'SYS', promptTemplate: 'Q: {question}\nA:' } });
  const state = deriveRunState(input({ b: [ok(0.9, { text: 'good' }), bad(0.3, { text: 'bad' }), ok(0.6)] }, s));
  const rows = pairRows(state);
  assert.deepEqual(rows, [{ problemId: 'b', chosenId: 'b:0', rejectedId: 'b:1', system: 'SYS', prompt: 'Q: question b\nA:', chosen: 'good', rejected: 'bad' }]);
  assert.equal(renderPrompt('{question} / {question}', '$1'), '$1 / $1');
});

test('the manifest counts labels, pairs and names the hashes', () => {
  const state = deriveRunState(input({ b: [ok(0.9), bad(0.3), ok(0.6)], i: [ok(0.9), ok(0.9), ok(0.9)] }));
  const m = buildManifest(state, { format: 'trl', file: 'out.jsonl', pairs: 1, createdAt: '2026-01-02T00:00:00Z', settingsHash: 'h', usage: 'u' });
  assert.deepEqual(m.labels, { inlier: 1, outlier: 0, boundary: 1, unlabelled: 0 });
  assert.equal(m.pairs, 1);
  assert.equal(m.problems, 2);
  assert.equal(m.responses, 6);
  assert.deepEqual(m.budget, { N: 8, presample: 3, spent: 6, planned: 16 });
  assert.equal(m.datasetHash, 'b'.repeat(64));
  assert.equal(m.settingsHash, 'h');
  assert.equal(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }), '{"a":[true,{"c":"x","d":null}],"b":1}');
});

test('with the completions API no system prompt was sent, so none is exported', () => {
  const s = settings({ policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'm', api: 'completions', systemPrompt: 'SYS' } });
  const state = deriveRunState(input({ b: [ok(0.9, { text: 'good' }), bad(0.3, { text: 'bad' })] }, s));
  const [row] = pairRows(state);
  assert.equal(row!.system, '');
  assert.deepEqual(JSON.parse(renderExport('trl-conversational', [row!], 'x.jsonl').content).prompt, [{ role: 'user', content: 'question b' }]);
});
