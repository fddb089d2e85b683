import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { DEFAULT_SYSTEM_PROMPT } from '../../src/core/schema/index';
import { runCli } from '../support/cli-capture';
import { startTestServer, type PolicyChoice, type PolicyRequest } from '../support/test-server';
import { hasPython, hasPyYaml, jsonLinesSchema, parseWithArgparse, PYTHON, trlPreferenceRows } from '../support/python-check';
import { checkTrlCli, checkTrlScript, heredocScript, TRL_ARGS } from '../support/trl-args';
import { readParquet } from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const TOKENIZER_CONFIG = join(process.cwd(), 'test/fixtures/trainers/chatml-tokenizer_config.json');
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
const readLines = async (path: string) => (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));

const right = (k: number) => `Attempt ${k}: add the parts.\n\nSo the answer is \\boxed{7}.`;
const wrong = (k: number) => `Attempt ${k}: add the parts.\n\nSo the answer is \\boxed{8}.`;
/** What each problem's k-th sample is: q2 holds a truncated correct, an answerless and a truncated wrong response. */
const SAMPLES: Record<string, ((k: number) => PolicyChoice)[]> = {
  'what is q0?': [(k) => ({ text: right(k) })],
  'what is q1?': [(k) => ({ text: wrong(k) })],
  'what is q2?': [
    (k) => ({ text: right(k) }),
    (k) => ({ text: wrong(k) }),
    (k) => ({ text: `${right(k)} Checking it once more, we`, finishReason: 'length' }),
    () => ({ text: 'Let us think about it carefully and see where that leads.' }),
    (k) => ({ text: `${wrong(k)} And then`, finishReason: 'length' }),
    (k) => ({ text: `${right(k)} Done.` }),
  ],
  'what is q3?': [(k) => ({ text: wrong(k) }), (k) => ({ text: right(k) })],
};

/** A policy that answers a prompt's k-th request (counted from 0 over the run) with `sample(prompt, k)`. */
function countPerPrompt(sample: (prompt: string, k: number) => PolicyChoice): (req: PolicyRequest) => PolicyChoice[] {
  const served = new Map<string, number>();
  return ({ prompt, n }) =>
    Array.from({ length: n }, () => {
      const k = served.get(prompt) ?? 0;
      served.set(prompt, k + 1);
      return sample(prompt, k);
    });
}

/** Every step of a response that answers 7 scores 0.9, every step of any other 0.1. */
const scoreByAnswer = (_q: string, steps: string[]) => steps.map(() => (steps.join('\n').includes('boxed{7}') ? 0.9 : 0.1));

test('exports give each trainer the prompt the policy saw, keep cut-off responses out, merge dataset_info.json and print commands that parse', async () => {
  // The server renders chat requests with the model's chat template, as vLLM does.
  const config = await readJson(TOKENIZER_CONFIG);
  const template = new Template(config.chat_template);
  const server = await startTestServer({
    chatTemplate: (messages) => template.render({ messages, add_generation_prompt: true, eos_token: config.eos_token.content }),
    policy: countPerPrompt((prompt, k) => {
      const seq = SAMPLES[prompt]!;
      return seq[k % seq.length]!(k);
    }),
    stepScores: scoreByAnswer,
  });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-export-'));
  const cli = (...argv: string[]) => runCli(argv, root);
  try {
    const dataset = join(root, 'data.jsonl');
    await writeFile(dataset, Object.keys(SAMPLES).map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '7' }) + '\n').join(''));
    const dir = join(root, 'run1');
    const init = await cli(
      'init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'Qwen/Qwen2.5-Math-7B-Instruct', '--n-per-request', '2',
      '--prm-protocol', 'http-json', '--prm-url', `${server.url}/prm`, '--prm-model', 'prm',
      '--budget', '4', '--presample', '2', '--tau-low', '0.15', '--tau-high', '0.65', '--seed', '1234',
    );
    assert.equal(init.code, 0, init.err);
    const run = await cli('run', dir);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /labels: 2 boundary, 1 inlier, 1 outlier/);

    // status says what the pairs leave out: q2's two truncated responses and its answerless one.
    const status = await cli('status', dir);
    assert.match(status.out, /left out  2 truncated and 1 answerless responses of Boundary problems .* 0 ungraded; 0 Boundary problems without a pair/);
    const statusJson = JSON.parse((await cli('status', dir, '--json')).out);
    assert.deepEqual(statusJson.leftOut, { truncated: 2, noAnswer: 1, ungraded: 0, boundaryWithoutPairs: 0, notBoundary: 2 });

    const exports = join(root, 'exports');
    // A chat run's string format without the chat template is refused, naming the way out; nothing is written.
    const refused = await cli('export', dir, '--format', 'trl', '--out', join(exports, 'trl.jsonl'));
    assert.equal(refused.code, 1);
    assert.match(refused.err, /--format trl: this run sampled a chat model.*--format trl-conversational.*--tokenizer-config/);
    assert.ok(!existsSync(exports));

    // With the model's tokenizer_config.json the prompt is the one the server rendered.
    const trl = await cli('export', dir, '--format', 'trl', '--tokenizer-config', TOKENIZER_CONFIG, '--out', join(exports, 'trl.jsonl'));
    assert.equal(trl.code, 0, trl.err);
    const trlRows = await readLines(join(exports, 'trl.jsonl'));
    assert.equal(trlRows.length, 4);
    const q3 = `<|im_start|>system\n${DEFAULT_SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\nwhat is q3?<|im_end|>\n<|im_start|>assistant\n`;
    assert.ok(server.renderedPrompts.includes(q3), 'the server rendered the ChatML prompt');
    for (const r of trlRows) {
      assert.ok(server.renderedPrompts.includes(r.prompt), `exported prompt was rendered by the server: ${JSON.stringify(r.prompt)}`);
      assert.equal(r.prompt, r.problem_id === 'q3' ? q3 : q3.replace('q3', 'q2'));
    }

    // Cut-off and answerless responses are never chosen, and rejected only when asked for.
    const texts = (rows: { chosen: unknown; rejected: unknown }[], side: 'chosen' | 'rejected') =>
      rows.map((r) => (typeof r[side] === 'string' ? r[side] : (r[side] as { content: string }[])[0]!.content) as string);
    assert.ok(texts(trlRows, 'chosen').every((t) => !/Checking it once more|And then|carefully/.test(t)));
    assert.ok(texts(trlRows, 'rejected').every((t) => !/Checking it once more|And then|carefully/.test(t)));
    const kept = await cli('export', dir, '--format', 'trl-conversational', '--keep-truncated-rejected', '--out', join(exports, 'kept.jsonl'));
    assert.equal(kept.code, 0, kept.err);
    const keptRows = await readLines(join(exports, 'kept.jsonl'));
    assert.equal(keptRows.length, 5);
    assert.ok(texts(keptRows, 'rejected').some((t) => t.endsWith('And then')));
    assert.ok(texts(keptRows, 'chosen').every((t) => !t.includes('Checking it once more')));
    assert.deepEqual((await readJson(join(exports, 'kept.manifest.json'))).leftOut, {
      truncated: 1, noAnswer: 1, ungraded: 0, boundaryWithoutPairs: 0, notBoundary: 2,
      rules: { keepTruncatedRejected: true, keepUnansweredRejected: false },
    });

    // The manifest explains the data.
    const m = await readJson(join(exports, 'trl.manifest.json'));
    assert.equal(m.policy.model, 'Qwen/Qwen2.5-Math-7B-Instruct');
    assert.equal(m.policy.api, 'chat');
    assert.equal(m.policy.systemPrompt, DEFAULT_SYSTEM_PROMPT);
    assert.deepEqual(m.policy.sampling, { temperature: 0.7, topP: 0.95, maxTokens: 2048, stop: [], seed: null, nPerRequest: 2 });
    assert.deepEqual(m.prm, { protocol: 'http-json', model: 'prm' });
    assert.deepEqual(m.thresholds, { tauLow: 0.15, tauHigh: 0.65 });
    assert.equal(m.rdeMode, 'accuracy+reward');
    assert.equal(m.round, 0);
    assert.equal(m.graders.length, 1);
    assert.deepEqual(m.pairsPerProblem, { problems: 2, median: 1, max: 3, topTenthShare: 0.75 });
    // Prompt tokens are the server's count of the rendered prompt (its usage figures).
    assert.equal(m.tokens.prompt.max, Math.ceil(q3.length / 4));
    assert.ok(m.tokens.pair.max > m.tokens.prompt.max);
    assert.equal(m.tokens.uncounted, 0);
    assert.ok(m.tokens.suggested.maxLength >= m.tokens.pair.max + 8 && m.tokens.suggested.maxLength % 64 === 0);
    assert.match(trl.out, new RegExp(`max_length=${m.tokens.suggested.maxLength}`));

    const llamaDir = join(root, 'lf');
    const other = { alpaca_en_demo: { file_name: 'alpaca_en_demo.json' } };
    await cli('export', dir, '--format', 'llama-factory', '--out', join(llamaDir, 'first.jsonl'));
    await writeFile(join(llamaDir, 'dataset_info.json'), JSON.stringify({ ...other, ...(await readJson(join(llamaDir, 'dataset_info.json'))) }, null, 2));
    const lf = await cli('export', dir, '--format', 'llama-factory', '--out', join(llamaDir, 'pairs.jsonl'), '--name', 'round_two', '--eval-fraction', '0.5');
    assert.equal(lf.code, 0, lf.err);
    const info = await readJson(join(llamaDir, 'dataset_info.json'));
    assert.deepEqual(Object.keys(info).sort(), ['alpaca_en_demo', 'hsstar_run1_r0', 'round_two', 'round_two_eval']);
    assert.deepEqual(info.alpaca_en_demo, other.alpaca_en_demo);
    assert.equal(info.hsstar_run1_r0.file_name, 'first.jsonl');
    assert.equal(info.round_two_eval.file_name, 'pairs.eval.jsonl');
    const train = await readLines(join(llamaDir, 'pairs.jsonl'));
    const held = await readLines(join(llamaDir, 'pairs.eval.jsonl'));
    assert.equal(train.length + held.length, 4);
    assert.ok(held.length > 0 && train.length > 0);
    assert.equal(new Set(held.map((r) => r.problem_id)).size, 1);
    assert.ok(!train.some((r) => r.problem_id === held[0].problem_id));
    assert.match(lf.out, /--template qwen/);
    // Taking over a name registered for another file needs --force.
    const clash = await cli('export', dir, '--format', 'llama-factory', '--out', join(llamaDir, 'third.jsonl'), '--name', 'alpaca_en_demo');
    assert.equal(clash.code, 1);
    assert.match(clash.err, /dataset_info.json: already registers "alpaca_en_demo"/);
    assert.deepEqual(await readJson(join(llamaDir, 'dataset_info.json')), info);

    const orl = await cli('export', dir, '--format', 'openrlhf', '--out', join(exports, 'orl.jsonl'), '--eval-fraction', '0.5');
    assert.equal(orl.code, 0, orl.err);
    const om = await readJson(join(exports, 'orl.manifest.json'));
    assert.deepEqual(om.commands.map((c: { label: string }) => c.label), ['OpenRLHF ≥ 0.10.2 (dotted flags)', 'OpenRLHF < 0.10.2']);
    assert.ok(orl.out.includes(om.commands[0].command));

    // A Hub folder: Parquet written by hyparquet-writer, read back by Arrow (arrow-rs in parquet-wasm, decoded by apache-arrow).
    const hub = join(root, 'hub');
    const pq = await cli('export', dir, '--format', 'trl-conversational', '--to', 'parquet', '--out', join(hub, 'pairs.parquet'), '--eval-fraction', '0.5', '--license', 'apache-2.0');
    assert.equal(pq.code, 0, pq.err);
    const same = await cli('export', dir, '--format', 'trl-conversational', '--out', join(root, 'same', 'pairs.jsonl'), '--eval-fraction', '0.5');
    assert.equal(same.code, 0, same.err);
    const messageType = 'List<Struct<{role:Utf8, content:Utf8}>>';
    for (const [p, j] of [['pairs.parquet', 'pairs.jsonl'], ['pairs.eval.parquet', 'pairs.eval.jsonl']] as const) {
      const table = tableFromIPC(readParquet(new Uint8Array(await readFile(join(hub, p)))).intoIPCStream());
      assert.deepEqual(
        table.schema.fields.map((f) => `${f.name}: ${f.type}`),
        ['prompt', 'chosen', 'rejected'].map((n) => `${n}: ${messageType}`).concat(['problem_id', 'chosen_id', 'rejected_id'].map((n) => `${n}: Utf8`), ['score_chosen: Float64', 'score_rejected: Float64']),
      );
      assert.deepEqual(JSON.parse(JSON.stringify(table.toArray())), await readLines(join(root, 'same', j)));
    }
    assert.match(pq.out, /load_dataset\("parquet", data_files=/);
    const card = await readFile(join(hub, 'README.md'), 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(card)![1]!;
    assert.match(card, new RegExp(`sha256 \`${(await readJson(join(dir, 'hsstar.json'))).dataset.sha256}\``));
    assert.match(card, /tau_l 0\.15 \/ tau_h 0\.65/);
    assert.doesNotMatch(card, /hf_|token:/i);
    const badLicense = await cli('export', dir, '--format', 'trl-conversational', '--to', 'parquet', '--out', join(root, 'x', 'p.parquet'), '--license', 'Apache 2');
    assert.match(badLicense.err, /--license: must be a licence id/);

    if (!(await hasPython())) return;
    const yaml = await promisify(execFile)(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.argv[1])))', front]).catch(() => null);
    if (yaml) {
      assert.deepEqual(JSON.parse(yaml.stdout), {
        license: 'apache-2.0',
        task_categories: ['text-generation'],
        tags: ['dpo', 'hs-star', 'math', 'reasoning'],
        size_categories: ['n<1K'],
        configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'pairs.parquet' }, { split: 'test', path: 'pairs.eval.parquet' }] }],
      });
    }
    // The printed commands parse with the trainers' own argument tables (argparse, as the trainers do).
    const orlArgs = await readJson(join(process.cwd(), 'test/fixtures/trainers/openrlhf-train-dpo-args.json'));
    const dotted = await parseWithArgparse(orlArgs.parsers.dotted, om.commands[0].command, 3);
    assert.deepEqual(dotted, {
      'model.model_name_or_path': 'Qwen/Qwen2.5-Math-7B-Instruct',
      'data.dataset': join(exports, 'orl.jsonl'),
      'data.prompt_key': 'prompt',
      'data.chosen_key': 'chosen',
      'data.rejected_key': 'rejected',
      'data.apply_chat_template': true,
      'data.max_len': om.tokens.suggested.maxLength,
      'eval.dataset': join(exports, 'orl.eval.jsonl'),
      'eval.split': 'train',
      'ckpt.output_dir': './dpo-out',
    });
    const legacy = await parseWithArgparse(orlArgs.parsers.legacy, om.commands[1].command, 3);
    assert.equal(legacy.dataset, join(exports, 'orl.jsonl'));
    assert.equal(legacy.max_len, om.tokens.suggested.maxLength);
    // The old spelling does not parse with today's parser: the reason the issue exists.
    await assert.rejects(parseWithArgparse(orlArgs.parsers.dotted, om.commands[1].command, 3), /unrecognized arguments/);
    const lfArgs = await readJson(join(process.cwd(), 'test/fixtures/trainers/llamafactory-train-args.json'));
    const lfCommand = (await readJson(join(llamaDir, 'pairs.manifest.json'))).commands[0].command;
    const lfParsed = await parseWithArgparse(lfArgs.fields, lfCommand, 2);
    assert.deepEqual(
      [lfParsed.stage, lfParsed.do_train, lfParsed.dataset, lfParsed.eval_dataset, lfParsed.dataset_dir, lfParsed.template],
      ['dpo', true, 'round_two', 'round_two_eval', llamaDir, 'qwen'],
    );

    // TRL's commands use only the arguments TRL has today (its DPOConfig / DPOTrainer / load_dataset and `trl dpo` tables).
    const trlCommandsPrinted = m.commands as { label: string; command: string }[];
    assert.deepEqual(trlCommandsPrinted.map((c) => c.label), ['TRL (Python)', 'TRL CLI (trl dpo)']);
    const script = await checkTrlScript(heredocScript(trlCommandsPrinted[0]!.command));
    assert.deepEqual([script.builder, script.dataFiles, script.config], ['json', { train: join(exports, 'trl.jsonl') }, { output_dir: 'dpo-out', max_length: m.tokens.suggested.maxLength }]);
    assert.equal(script.trainer.model!.literal, 'Qwen/Qwen2.5-Math-7B-Instruct');
    const hubScript = await checkTrlScript(heredocScript((await readJson(join(hub, 'pairs.manifest.json'))).commands[0].command));
    assert.deepEqual([hubScript.builder, hubScript.dataFiles], ['parquet', { train: join(hub, 'pairs.parquet'), test: join(hub, 'pairs.eval.parquet') }]);
    if (await hasPyYaml()) {
      const cli = await checkTrlCli(trlCommandsPrinted[1]!.command);
      assert.deepEqual(cli.yaml, { datasets: [{ path: 'json', data_files: join(exports, 'trl.jsonl'), split: 'train' }] });
      assert.equal(cli.flags.max_length, m.tokens.suggested.maxLength);
    }
    // TRL's data preparation reads the standard export as strings and the conversational one as messages; the trace columns pass through.
    const passthrough = ['problem_id', 'chosen_id', 'rejected_id', 'score_chosen', 'score_rejected'];
    assert.deepEqual(await trlPreferenceRows(join(exports, 'trl.jsonl'), TRL_ARGS.preference), { format: 'standard', passthrough });
    assert.deepEqual(await trlPreferenceRows(join(exports, 'kept.jsonl'), TRL_ARGS.preference), { format: 'conversational', passthrough });

    // Each file reads with one column type per column, as a datasets JSON loader needs.
    const messages = 'list<struct<content:string,role:string>>';
    const trace = { problem_id: 'string', chosen_id: 'string', rejected_id: 'string', score_chosen: 'double', score_rejected: 'double' };
    assert.deepEqual(await jsonLinesSchema(join(exports, 'trl.jsonl')), { prompt: 'string', chosen: 'string', rejected: 'string', ...trace });
    assert.deepEqual(await jsonLinesSchema(join(exports, 'kept.jsonl')), { prompt: messages, chosen: messages, rejected: messages, ...trace });
    assert.deepEqual(await jsonLinesSchema(join(exports, 'orl.jsonl')), { prompt: messages, chosen: messages, rejected: messages, ...trace });
    assert.deepEqual(await jsonLinesSchema(join(llamaDir, 'pairs.jsonl')), {
      instruction: 'string', input: 'string', chosen: 'string', rejected: 'string', system: 'string', ...trace,
    });
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('a completions run exports the raw prompt: trl and openrlhf as strings, the conversational format refused', async () => {
  const server = await startTestServer({
    policy: countPerPrompt((prompt, k) => ({ text: (k % 2 === 0) === prompt.includes('q2') ? right(k) : wrong(k) })),
    stepScores: scoreByAnswer,
  });
  const root = await mkdtemp(join(tmpdir(), 'hsstar-export-c-'));
  const cli = (...argv: string[]) => runCli(argv, root);
  try {
    const dataset = join(root, 'data.jsonl');
    await writeFile(dataset, ['q2', 'q3'].map((id) => JSON.stringify({ id, question: `what is ${id}?`, answer: '7' }) + '\n').join(''));
    const dir = join(root, 'base');
    const init = await cli(
      'init', dir, '--dataset', dataset, '--policy-url', server.v1, '--policy-model', 'base-model', '--policy-api', 'completions',
      '--prompt-template', 'Question: {question}\nAnswer:', '--prm-protocol', 'http-json', '--prm-url', `${server.url}/prm`,
      '--budget', '4', '--presample', '2', '--tau-low', '0.15', '--tau-high', '0.65',
    );
    assert.equal(init.code, 0, init.err);
    assert.equal((await cli('run', dir)).code, 0);

    const conv = await cli('export', dir, '--format', 'trl-conversational', '--out', join(root, 'c.jsonl'));
    assert.equal(conv.code, 1);
    assert.match(conv.err, /completions API on the raw prompt.*--format trl/);
    assert.ok(!existsSync(join(root, 'c.jsonl')));

    assert.equal((await cli('export', dir, '--format', 'trl', '--out', join(root, 't.jsonl'))).code, 0);
    const rows = await readLines(join(root, 't.jsonl'));
    assert.ok(rows.length > 0);
    // The prompt the completions route received, byte for byte.
    const sent = new Set(server.requests.filter((q) => q.path === '/v1/completions').map((q) => (q.body as { prompt: string }).prompt));
    for (const r of rows) {
      assert.equal(r.prompt, `Question: what is ${r.problem_id}?\nAnswer:`);
      assert.ok(sent.has(r.prompt));
    }

    const orl = await cli('export', dir, '--format', 'openrlhf', '--out', join(root, 'o.jsonl'));
    assert.equal(orl.code, 0, orl.err);
    const [o] = await readLines(join(root, 'o.jsonl'));
    assert.equal(typeof o.prompt, 'string');
    assert.equal(typeof o.chosen, 'string');
    const m = await readJson(join(root, 'o.manifest.json'));
    assert.equal(m.policy.systemPrompt, null);
    assert.doesNotMatch(m.commands[0].command, /apply_chat_template/);
    assert.match(m.commands[1].command, /--input_template '\{\}'/);
    const lf = await cli('export', dir, '--format', 'llama-factory', '--out', join(root, 'lf', 'p.jsonl'));
    assert.match(lf.out, /--template empty/);
    assert.equal((await readLines(join(root, 'lf', 'p.jsonl')))[0].system, '');
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('the demo run exports in every format with one type per column, Parquet included', async () => {
  const root = await mkdtemp(join(tmpdir(), 'hsstar-export-demo-'));
  const cli = (...argv: string[]) => runCli(argv, root);
  try {
    const dir = join(root, 'demo');
    const demo = await cli('demo', dir);
    assert.equal(demo.code, 0, demo.err);
    // The demo exported the format that is exact for its chat run.
    const demoRows = await readLines(join(dir, 'exports', 'pairs-trl-conversational.jsonl'));
    assert.ok(demoRows.length > 0);
    const out = join(root, 'out');
    const trace = { problem_id: 'string', chosen_id: 'string', rejected_id: 'string', score_chosen: 'double', score_rejected: 'double', reward_chosen: 'double', reward_rejected: 'double' };
    const messages = 'list<struct<content:string,role:string>>';
    const expected: Record<string, Record<string, string>> = {
      'trl-conversational': { prompt: messages, chosen: messages, rejected: messages, ...trace },
      openrlhf: { prompt: messages, chosen: messages, rejected: messages, ...trace },
      'llama-factory': { instruction: 'string', input: 'string', chosen: 'string', rejected: 'string', system: 'string', ...trace },
      trl: { prompt: 'string', chosen: 'string', rejected: 'string', ...trace },
    };
    const python = await hasPython();
    for (const format of Object.keys(expected)) {
      const extra = format === 'trl' ? ['--tokenizer-config', TOKENIZER_CONFIG] : [];
      const r = await cli('export', dir, '--format', format, '--out', join(out, format, 'pairs.jsonl'), '--eval-fraction', '0.2', ...extra);
      assert.equal(r.code, 0, r.err);
      if (python) {
        for (const file of ['pairs.jsonl', 'pairs.eval.jsonl']) assert.deepEqual(await jsonLinesSchema(join(out, format, file)), expected[format], `${format} ${file}`);
      }
      // The pairs' token lengths fit the suggested limit, which the printed commands carry.
      const m = await readJson(join(out, format, 'pairs.manifest.json'));
      assert.ok(m.tokens.pair.max + 8 <= m.tokens.suggested.maxLength);
      assert.ok(m.commands.every((c: { command: string }) => c.command.includes(String(m.tokens.suggested.maxLength))));
    }
    const pq = await cli('export', dir, '--format', 'llama-factory', '--to', 'parquet', '--out', join(out, 'hub', 'pairs.parquet'));
    assert.equal(pq.code, 0, pq.err);
    const table = tableFromIPC(readParquet(new Uint8Array(await readFile(join(out, 'hub', 'pairs.parquet')))).intoIPCStream());
    assert.deepEqual(
      table.schema.fields.map((f) => `${f.name}: ${f.type}`),
      ['instruction', 'input', 'chosen', 'rejected', 'system', 'problem_id', 'chosen_id', 'rejected_id'].map((n) => `${n}: Utf8`).concat(
        ['score_chosen', 'score_rejected', 'reward_chosen', 'reward_rejected'].map((n) => `${n}: Float64`),
      ),
    );
    assert.equal(table.numRows, demoRows.length);
    assert.equal((await readJson(join(out, 'hub', 'dataset_info.json'))).hsstar_demo_r0.file_name, 'pairs.parquet');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
