import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { llamaFactoryCommands, openRlhfCommands, shellQuote, trlCommands } from '../../../../src/core/export/trainer-commands';
import { hasPython, hasPyYaml, parseWithArgparse } from '../../../support/python-check';
import { checkTrlCli, checkTrlScript, heredocScript } from '../../../support/trl-args';

const args = JSON.parse(readFileSync('test/fixtures/trainers/openrlhf-train-dpo-args.json', 'utf8'));
const ctx = { api: 'chat' as const, model: "org/it's a model", file: "/data/my run/pairs 'v1'.jsonl", evalFile: null, maxLength: 2048, maxPromptLength: 512 };

test('paths and model names with spaces and quotes reach the trainer intact', async (t) => {
  assert.equal(shellQuote('/a/b-c_d.jsonl'), '/a/b-c_d.jsonl');
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  if (!(await hasPython())) return t.skip('python3 not available');
  const [dotted, legacy] = openRlhfCommands(ctx);
  const parsed = await parseWithArgparse(args.parsers.dotted, dotted!.command, 3);
  assert.equal(parsed['data.dataset'], ctx.file);
  assert.equal(parsed['model.model_name_or_path'], ctx.model);
  assert.equal((await parseWithArgparse(args.parsers.legacy, legacy!.command, 3)).dataset, ctx.file);
  const lf = JSON.parse(readFileSync('test/fixtures/trainers/llamafactory-train-args.json', 'utf8'));
  const [cmd] = llamaFactoryCommands({ ...ctx, dataset: 'hsstar_run_r0', evalDataset: null, datasetDir: '/data/my run', template: null });
  assert.match(cmd!.label, /replace TEMPLATE/);
  assert.equal((await parseWithArgparse(lf.fields, cmd!.command, 2)).dataset_dir, '/data/my run');
});

test("TRL's script loads JSON or Parquet by the file's extension and carries both limits", () => {
  const [json] = trlCommands({ ...ctx, file: 'p.jsonl' });
  assert.match(json!.command, /load_dataset\("json", data_files=\{"train": "p.jsonl"\}\)/);
  assert.match(json!.command, /DPOConfig\(output_dir="dpo-out", max_length=2048\)/);
  assert.match(json!.note!, /max_prompt_length=512/);
  const [parquet] = trlCommands({ ...ctx, file: 'p.parquet', evalFile: 'p.eval.parquet' });
  assert.match(parquet!.command, /load_dataset\("parquet", data_files=\{"train": "p.parquet", "test": "p.eval.parquet"\}\)/);
  assert.match(parquet!.command, /eval_dataset=data\["test"\]/);
});

test("TRL's printed script uses only the DPOConfig, DPOTrainer and load_dataset arguments TRL has today", async (t) => {
  if (!(await hasPython())) return t.skip('python3 not available');
  const [cmd] = trlCommands({ ...ctx, evalFile: "/data/my run/pairs 'v1'.eval.jsonl" });
  const parsed = await checkTrlScript(heredocScript(cmd!.command));
  assert.equal(parsed.builder, 'json');
  assert.deepEqual(parsed.dataFiles, { train: ctx.file, test: "/data/my run/pairs 'v1'.eval.jsonl" });
  assert.deepEqual(parsed.config, { output_dir: 'dpo-out', max_length: 2048, eval_strategy: 'epoch' });
  assert.equal(parsed.trainer.model!.literal, ctx.model);
  assert.deepEqual(Object.keys(parsed.trainer), ['model', 'args', 'train_dataset', 'eval_dataset']);
  // A field TRL never had, a wrong type, a field removed after 0.28 and a misspelt trainer argument all fail, by name.
  const script = heredocScript(cmd!.command);
  await assert.rejects(checkTrlScript(script.replace('max_length=', 'max_seq_length=')), /DPOConfig\(max_seq_length=…\): DPOConfig has no field max_seq_length/);
  await assert.rejects(checkTrlScript(script.replace('max_length=2048', 'max_length="2048"')), /DPOConfig\(max_length=…\): is str, int expected/);
  await assert.rejects(checkTrlScript(script.replace('max_length=2048', 'max_length=2048, max_prompt_length=512')), /max_prompt_length=…\): Deprecated in 0\.28\.0, removed in 0\.29\.0/);
  await assert.rejects(checkTrlScript(script.replace('train_dataset=', 'dataset=')), /DPOTrainer has no field dataset/);
  await assert.rejects(checkTrlScript(script.replace('load_dataset("json"', 'load_dataset("jsonl"')), /load_dataset\("jsonl"\) is not a file builder/);
});

test("TRL's CLI: the dataset mixture it writes and the flags of `trl dpo` parse with TRL's tables; a wrong name fails", async (t) => {
  if (!(await hasPython()) || !(await hasPyYaml())) return t.skip('python3 with PyYAML not available');
  const [, cli] = trlCommands(ctx);
  assert.equal(cli!.label, 'TRL CLI (trl dpo)');
  const { yaml, flags } = await checkTrlCli(cli!.command);
  assert.deepEqual(yaml, { datasets: [{ path: 'json', data_files: ctx.file, split: 'train' }] });
  assert.deepEqual(flags, { config: 'dpo-data.yaml', model_name_or_path: ctx.model, max_length: 2048, output_dir: 'dpo-out' });
  const [, parquet] = trlCommands({ ...ctx, file: 'p.parquet', evalFile: 'p.eval.parquet' });
  assert.equal(((await checkTrlCli(parquet!.command)).yaml.datasets as { path: string }[])[0]!.path, 'parquet');
  assert.match(parquet!.note!, /held-out file is for the Python form/);
  await assert.rejects(checkTrlCli(cli!.command.replace('--max_length', '--max_seq_length')), /unrecognized arguments: --max_seq_length/);
  await assert.rejects(checkTrlCli(cli!.command.replace('--max_length 2048', '--max_length 2048 --max_prompt_length 512')), /unrecognized arguments: --max_prompt_length/);
  await assert.rejects(checkTrlCli(cli!.command.replace('--max_length 2048', '--max_length long')), /argument --max_length: invalid int value/);
  await assert.rejects(checkTrlCli(cli!.command.replace('data_files:', 'files:')), /dpo-data.yaml: DatasetConfig has no field files/);
});
