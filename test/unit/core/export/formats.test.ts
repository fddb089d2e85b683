import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, isExportFormat, renderRows, type RenderContext } from '../../../../src/core/export/formats';
import { pairRows, renderPrompt, type PairRow } from '../../../../src/core/export/rows';
import { canonicalJson, pairsPerProblem } from '../../../../src/core/export/manifest';
import { evalSplit } from '../../../../src/core/export/eval-split';
import { exportLengths, suggestedLimit } from '../../../../src/core/export/lengths';
import { mergeDatasetInfo, llamaFactoryEntry, defaultDatasetName } from '../../../../src/core/export/llama-factory';
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
  chosenScore: 0.9,
  rejectedScore: 0.2,
  chosenReward: null,
  rejectedReward: null,
  promptTokens: 30,
  chosenTokens: 12,
  rejectedTokens: 40,
};

const chat: RenderContext = { api: 'chat', renderPrompt: null, withReward: false };
const completions: RenderContext = { api: 'completions', renderPrompt: null, withReward: false };
const trace = { problem_id: 'p', chosen_id: 'p:0', rejected_id: 'p:1', score_chosen: 0.9, score_rejected: 0.2 };
const lines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l));

test('TRL standard of a completions run: the prompt as sent, strings, and the trace columns', () => {
  assert.equal(FORMATS.trl.refusal(completions), null);
  assert.deepEqual(lines(renderRows('trl', [row], completions)), [{ prompt: 'Solve: 1+1', chosen: 'It is \\boxed{2}', rejected: 'It is \\boxed{3}', ...trace }]);
});

test('TRL standard of a chat run is refused without the chat template, and renders with it', () => {
  assert.match(FORMATS.trl.refusal(chat)!, /--format trl-conversational.*--tokenizer-config/);
  const withTemplate: RenderContext = { ...chat, renderPrompt: (ms) => ms.map((m) => `<${m.role}>${m.content}`).join('') + '<assistant>' };
  assert.equal(FORMATS.trl.refusal(withTemplate), null);
  assert.equal(lines(renderRows('trl', [row], withTemplate))[0].prompt, '<system>Reason step by step.<user>Solve: 1+1<assistant>');
  assert.match(FORMATS.trl.refusal({ ...completions, renderPrompt: withTemplate.renderPrompt })!, /for chat runs/);
});

test('TRL conversational: system and user messages for a chat run; refused for a completions run', () => {
  assert.deepEqual(lines(renderRows('trl-conversational', [row], { ...chat, withReward: true })), [
    {
      prompt: [
        { role: 'system', content: 'Reason step by step.' },
        { role: 'user', content: 'Solve: 1+1' },
      ],
      chosen: [{ role: 'assistant', content: 'It is \\boxed{2}' }],
      rejected: [{ role: 'assistant', content: 'It is \\boxed{3}' }],
      ...trace,
      reward_chosen: null,
      reward_rejected: null,
    },
  ]);
  assert.deepEqual(lines(renderRows('trl-conversational', [{ ...row, system: '' }], chat))[0].prompt, [{ role: 'user', content: 'Solve: 1+1' }]);
  assert.match(FORMATS['trl-conversational'].refusal(completions)!, /chat template the policy never saw.*--format trl/);
});

test('OpenRLHF: message lists for a chat run, raw strings for a completions run', () => {
  const [rec] = lines(renderRows('openrlhf', [row], chat));
  assert.deepEqual(rec.prompt[1], { role: 'user', content: 'Solve: 1+1' });
  assert.deepEqual(rec.chosen, [{ role: 'assistant', content: 'It is \\boxed{2}' }]);
  assert.deepEqual([rec.problem_id, rec.chosen_id, rec.rejected_id], ['p', 'p:0', 'p:1']);
  const [raw] = lines(renderRows('openrlhf', [{ ...row, system: '' }], completions));
  assert.deepEqual([raw.prompt, raw.chosen, raw.rejected], ['Solve: 1+1', 'It is \\boxed{2}', 'It is \\boxed{3}']);
  const ctx = { api: 'completions' as const, model: 'm', file: '/x/p.jsonl', evalFile: null, maxLength: 128, maxPromptLength: 64, dataset: 'd', evalDataset: null, datasetDir: '/x', template: 'empty' };
  const [current, legacy] = FORMATS.openrlhf.commands(ctx);
  assert.doesNotMatch(current!.command, /apply_chat_template/);
  assert.match(legacy!.command, /--input_template '\{\}'/);
  assert.match(FORMATS.openrlhf.commands({ ...ctx, api: 'chat' })[0]!.command, /--data\.apply_chat_template/);
});

test('LLaMA-Factory: alpaca ranking rows; dataset_info.json merged, never replaced whole', () => {
  assert.deepEqual(lines(renderRows('llama-factory', [row], chat)), [
    { instruction: 'Solve: 1+1', input: '', chosen: 'It is \\boxed{2}', rejected: 'It is \\boxed{3}', system: 'Reason step by step.', ...trace },
  ]);
  const other = { alpaca_en_demo: { file_name: 'alpaca_en_demo.json' }, mine: { file_name: 'old.jsonl', ranking: true } };
  const merged = JSON.parse(mergeDatasetInfo(JSON.stringify(other), { hsstar_run_r0: llamaFactoryEntry('pairs.jsonl') }, { where: 'info', force: false }));
  assert.deepEqual(Object.keys(merged), ['alpaca_en_demo', 'mine', 'hsstar_run_r0']);
  assert.deepEqual(merged.alpaca_en_demo, other.alpaca_en_demo);
  assert.deepEqual(merged.hsstar_run_r0.columns, { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', system: 'system' });
  // The same entry again (a re-export) is replaced in place; another file under the same name needs --force.
  assert.equal(JSON.parse(mergeDatasetInfo(JSON.stringify(merged), { hsstar_run_r0: llamaFactoryEntry('pairs.jsonl') }, { where: 'info', force: false })).mine.file_name, 'old.jsonl');
  assert.throws(() => mergeDatasetInfo(JSON.stringify(other), { mine: llamaFactoryEntry('pairs.jsonl') }, { where: 'info', force: false }), /info: already registers "mine" for "old.jsonl"; pass --name .* or --force/);
  assert.throws(() => mergeDatasetInfo('{"a": 1,', { x: {} }, { where: 'data/dataset_info.json', force: true }), /data\/dataset_info.json: is not JSON/);
  assert.throws(() => mergeDatasetInfo('[]', { x: {} }, { where: 'f', force: true }), /one JSON object/);
  assert.equal(defaultDatasetName('run 1', 2), 'hsstar_run_1_r2');
});

test('format names', () => {
  assert.ok(isExportFormat('trl'));
  assert.ok(isExportFormat('llama-factory'));
  assert.ok(!isExportFormat('csv'));
});

test('rows carry the prompt as sent, the texts, S(r), rewards and token counts, in export order', () => {
  const s = settings({ policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'm', systemPrompt: 'SYS', promptTemplate: 'Q: {question}\nA:' } });
  const state = deriveRunState(input({ b: [ok(0.9, { text: 'good', reward: 1.5 }), bad(0.3, { text: 'bad' }), ok(0.6)] }, s));
  const rows = pairRows(state);
  assert.deepEqual(rows, [
    {
      problemId: 'b', chosenId: 'b:0', rejectedId: 'b:1', system: 'SYS', prompt: 'Q: question b\nA:', chosen: 'good', rejected: 'bad',
      chosenScore: 0.9, rejectedScore: 0.3, chosenReward: 1.5, rejectedReward: null, promptTokens: 10, chosenTokens: 20, rejectedTokens: 20,
    },
  ]);
  assert.equal(renderPrompt('{question} / {question}', '$1'), '$1 / $1');
  assert.equal(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }), '{"a":[true,{"c":"x","d":null}],"b":1}');
});

test('with the completions API no system prompt was sent, so none is exported', () => {
  const s = settings({ policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'm', api: 'completions', systemPrompt: 'SYS' } });
  const [r] = pairRows(deriveRunState(input({ b: [ok(0.9, { text: 'good' }), bad(0.3, { text: 'bad' })] }, s)));
  assert.equal(r!.system, '');
  assert.equal(JSON.parse(renderRows('llama-factory', [r!], completions)).system, '');
});

test('lengths: median / p95 / max of each part, and a limit that holds the longest pair', () => {
  const rows = [10, 20, 30, 40].map((k, i) => ({ ...row, problemId: `p${i}`, promptTokens: k, chosenTokens: 2 * k, rejectedTokens: k }));
  const l = exportLengths(rows);
  assert.deepEqual(l.prompt, { median: 20, p95: 40, max: 40 });
  assert.deepEqual(l.pair, { median: 60, p95: 120, max: 120 });
  assert.equal(l.suggested.maxLength, 128);
  assert.equal(suggestedLimit(120), 128);
  assert.equal(suggestedLimit(121), 192);
  assert.equal(exportLengths([{ ...row, promptTokens: 0, chosenTokens: 0 }]).uncounted, 1);
});

test('the evaluation split is by problem, seeded, and keeps both sides non-empty', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ ...row, problemId: `p${i % 10}`, chosenId: `p${i % 10}:${i}` }));
  const a = evalSplit(rows, 0.2, 1234);
  assert.equal(a.evalProblems.length, 2);
  assert.equal(a.eval.length, 8);
  assert.equal(a.train.length + a.eval.length, 40);
  for (const r of a.train) assert.ok(!a.evalProblems.includes(r.problemId));
  assert.deepEqual(evalSplit(rows, 0.2, 1234).evalProblems, a.evalProblems);
  assert.notDeepEqual([1, 2, 3, 4, 5].map((s) => evalSplit(rows, 0.2, s).evalProblems.join()), Array(5).fill(a.evalProblems.join()));
  assert.equal(evalSplit(rows, 0.99, 1).train.length > 0, true);
  assert.equal(evalSplit(rows, 0, 1).eval.length, 0);
  assert.deepEqual(pairsPerProblem(['a', 'a', 'a', 'b', 'c']), { problems: 3, median: 1, max: 3, topTenthShare: 0.6 });
});
