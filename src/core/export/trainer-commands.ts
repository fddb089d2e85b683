/**
 * The commands that train on an export, spelled as each trainer's argument parser reads
 * them today (docs/pipeline.md names the sources). Paths are shell-quoted; the model is the
 * run's policy model, which is the usual starting point for the next round.
 */

export interface TrainerCommand {
  /** What the command is for, e.g. `OpenRLHF ≥ 0.10.2`. */
  label: string;
  command: string;
  note?: string;
}

export interface CommandContext {
  api: 'chat' | 'completions';
  model: string;
  file: string;
  evalFile: string | null;
  /** Suggested limits from the pairs' token lengths (nothing is cut). */
  maxLength: number;
  maxPromptLength: number;
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const pyString = (text: string) => JSON.stringify(text);

/**
 * TRL, two ways (docs/pipeline.md names the sources). The Python API: `datasets` loads the
 * JSON lines or Parquet by their builder, DPOConfig's `max_length` holds the longest pair,
 * DPOTrainer loads the model by name and evaluates the held-out file each epoch. The `trl dpo`
 * CLI: its script loads local files only through a YAML `datasets` mixture, which concatenates
 * every file it lists into `train`, so it gets the training file alone.
 */
export function trlCommands(c: CommandContext): TrainerCommand[] {
  const builder = c.file.endsWith('.parquet') ? 'parquet' : 'json';
  const files = c.evalFile ? `{"train": ${pyString(c.file)}, "test": ${pyString(c.evalFile)}}` : `{"train": ${pyString(c.file)}}`;
  const script = [
    'from datasets import load_dataset',
    'from trl import DPOConfig, DPOTrainer',
    `data = load_dataset("${builder}", data_files=${files})`,
    `args = DPOConfig(output_dir="dpo-out", max_length=${c.maxLength}${c.evalFile ? ', eval_strategy="epoch"' : ''})`,
    `trainer = DPOTrainer(model=${pyString(c.model)}, args=args, train_dataset=data["train"]${c.evalFile ? ', eval_dataset=data["test"]' : ''})`,
    'trainer.train()',
  ].join('\n');
  // A JSON string is a YAML double-quoted scalar, so any path survives.
  const mixture = ['datasets:', `  - path: ${builder}`, `    data_files: ${pyString(c.file)}`, '    split: train'].join('\n');
  const cli = [
    'trl dpo --config dpo-data.yaml',
    `--model_name_or_path ${shellQuote(c.model)}`,
    `--max_length ${c.maxLength}`,
    '--output_dir dpo-out',
  ].join(' \\\n  ');
  // DPOConfig.max_prompt_length is deprecated in TRL 0.28 and removed in 0.29; before that it cuts prompts at 512.
  const older = `TRL < 0.29 cuts prompts at max_prompt_length (default 512): add max_prompt_length=${c.maxPromptLength}`;
  return [
    { label: 'TRL (Python)', command: `python - <<'PY'\n${script}\nPY`, note: `${older} to DPOConfig there` },
    {
      label: 'TRL CLI (trl dpo)',
      command: `cat > dpo-data.yaml <<'YAML'\n${mixture}\nYAML\n${cli}`,
      note: `${older.replace('max_prompt_length=', '--max_prompt_length ')} there${c.evalFile ? '; the held-out file is for the Python form (the mixture would fold it into train)' : ''}`,
    },
  ];
}

/**
 * OpenRLHF reads the prompt as messages with `apply_chat_template` (chat runs) or as the raw
 * string (completions runs: no template, and older releases need `--input_template {}`
 * because their default wraps the prompt in "User: … Assistant:").
 */
export function openRlhfCommands(c: CommandContext): TrainerCommand[] {
  const chat = c.api === 'chat';
  const current = [
    'deepspeed --module openrlhf.cli.train_dpo',
    `--model.model_name_or_path ${shellQuote(c.model)}`,
    `--data.dataset ${shellQuote(c.file)}`,
    '--data.prompt_key prompt --data.chosen_key chosen --data.rejected_key rejected',
    ...(chat ? ['--data.apply_chat_template'] : []),
    `--data.max_len ${c.maxLength}`,
    ...(c.evalFile ? [`--eval.dataset ${shellQuote(c.evalFile)} --eval.split train`] : []),
    '--ckpt.output_dir ./dpo-out',
  ];
  const legacy = [
    'deepspeed --module openrlhf.cli.train_dpo',
    `--pretrain ${shellQuote(c.model)}`,
    `--dataset ${shellQuote(c.file)}`,
    '--prompt_key prompt --chosen_key chosen --rejected_key rejected',
    chat ? '--apply_chat_template' : `--input_template ${shellQuote('{}')}`,
    `--max_len ${c.maxLength}`,
    '--save_path ./dpo-out',
  ];
  return [
    { label: 'OpenRLHF ≥ 0.10.2 (dotted flags)', command: current.join(' \\\n  ') },
    { label: 'OpenRLHF < 0.10.2', command: legacy.join(' \\\n  ') },
  ];
}

/** LLaMA-Factory: `llamafactory-cli train` with the dataset registered in `dataset_dir`. */
export function llamaFactoryCommands(
  c: CommandContext & { dataset: string; evalDataset: string | null; datasetDir: string; template: string | null },
): TrainerCommand[] {
  const args = [
    'llamafactory-cli train',
    `--model_name_or_path ${shellQuote(c.model)}`,
    '--stage dpo --do_train true --finetuning_type lora',
    `--dataset ${shellQuote(c.dataset)}`,
    ...(c.evalDataset ? [`--eval_dataset ${shellQuote(c.evalDataset)}`] : []),
    `--dataset_dir ${shellQuote(c.datasetDir)}`,
    `--template ${c.template ?? 'TEMPLATE'}`,
    `--cutoff_len ${c.maxLength}`,
    '--output_dir ./dpo-out',
  ];
  const label = c.template ? 'LLaMA-Factory' : "LLaMA-Factory (replace TEMPLATE with the policy model's template name)";
  return [{ label, command: args.join(' \\\n  ') }];
}
