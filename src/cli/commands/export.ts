import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { basename, resolve } from 'node:path';
import { UsageError } from '../../core/errors';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../core/export/formats';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';
import { exportPairs } from '../../pipeline/export-run';
import { exportSummaryLines } from './export-summary';
import { isStepwiseFormat, STEPWISE_FORMATS } from '../../core/export/stepwise/stepwise-formats';
import { NEUTRAL_RULES, type NeutralRule } from '../../core/export/stepwise/trl-stepwise';
import { exportStepLabels, type StepExportOptions } from '../../pipeline/export-steps';
import type { StepwiseFormat } from '../../core/export/stepwise/stepwise-formats';
import type { CliIO } from '../io';

const flags = {
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  'tokenizer-config': { type: 'string' },
  name: { type: 'string' },
  'eval-fraction': { type: 'string' },
  'keep-truncated-rejected': { type: 'boolean', default: false },
  'keep-unanswered-rejected': { type: 'boolean', default: false },
  to: { type: 'string', default: 'jsonl' },
  license: { type: 'string' },
  'neutral-as': { type: 'string', default: 'true' },
} as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the DPO pairs for TRL, OpenRLHF or LLaMA-Factory, with a manifest and the trainer commands',
  usage: `Usage: hsstar export DIR --format ${EXPORT_FORMATS.join('|')} --out FILE [options]

Writes the run's pairs (curator edits applied, shuffled with the run's seed) as JSON
lines, FILE's manifest beside it (NAME.manifest.json: what produced the pairs, counts,
token lengths, what was left out, the trainer commands) and, for llama-factory, merges
the entry into dataset_info.json beside FILE (other entries are kept; FILE itself
cannot be dataset_info.json). Existing files are never replaced without --force; a device
such as /dev/null is written into.

A format that would train on a prompt the policy never saw is refused: for a chat run
the string format trl needs --tokenizer-config (else use trl-conversational); for a
completions run the conversational formats are refused (use trl or openrlhf).

Options:
  --tokenizer-config FILE     the policy model's tokenizer_config.json: trl renders the
                              prompt with its chat template, as the server did
  --name NAME                 LLaMA-Factory dataset name (default hsstar_<DIR>_r<round>)
  --eval-fraction F           hold out this share of the problems (seeded, by problem)
                              into NAME.eval.jsonl
  --keep-truncated-rejected   let responses cut at max_tokens be rejected (never chosen)
  --keep-unanswered-rejected  let responses without a final answer be rejected
  --to jsonl|parquet          parquet: FILE.parquet (and FILE.eval.parquet) plus a
                              dataset card README.md: a folder to publish with
                              huggingface-cli upload USER/NAME FOLDER --repo-type dataset
  --license ID                the card's licence (default other)

--format ${STEPWISE_FORMATS.join('|')} writes the human step labels instead
(\`hsstar label-steps\`, or the inspector), one labelled response a line: trl-stepwise is
TRL's stepwise supervision (prompt, completions = the steps, labels = booleans) for its
PRMTrainer, prm800k keeps the ratings -1 / 0 / 1. Only finished labellings are written
(a first -1 found, or every step rated); the steps are those rated from step 1 on.
  --neutral-as true|false   the label a 0 (neutral) step gets in trl-stepwise (default true)`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    if (!values.format) throw new UsageError('missing --format');
    const stepwise = isStepwiseFormat(values.format);
    if (!isExportFormat(values.format) && !stepwise) throw new UsageError(`--format must be one of ${[...EXPORT_FORMATS, ...STEPWISE_FORMATS].join(', ')}`);
    if (!values.out) throw new UsageError('missing --out');
    const evalFraction = values['eval-fraction'] === undefined ? 0 : Number(values['eval-fraction']);
    if (!Number.isFinite(evalFraction) || evalFraction < 0 || evalFraction >= 1) throw new UsageError('--eval-fraction must be a number from 0 up to (not including) 1');
    if (values.to !== 'jsonl' && values.to !== 'parquet') throw new UsageError('--to must be jsonl or parquet');
    const neutral = values['neutral-as'];
    if (!(NEUTRAL_RULES as readonly string[]).includes(neutral)) throw new UsageError(`--neutral-as must be one of ${NEUTRAL_RULES.join(', ')}`);
    if (stepwise) return exportSteps(resolve(io.cwd, dirArg!), { format: values.format as StepwiseFormat, out: resolve(io.cwd, values.out), force: values.force, neutral: neutral as NeutralRule }, io);
    const dir = resolve(io.cwd, dirArg!);
    const { store } = await ProjectStore.open(dir, { write: false });
    try {
      const result = await exportPairs(stateOf(store), {
        format: values.format as ExportFormat,
        out: resolve(io.cwd, values.out),
        force: values.force,
        runFolder: basename(dir),
        evalFraction,
        pairRules: { keepTruncatedRejected: values['keep-truncated-rejected'], keepUnansweredRejected: values['keep-unanswered-rejected'] },
        ...(values['tokenizer-config'] ? { tokenizerConfig: resolve(io.cwd, values['tokenizer-config']) } : {}),
        ...(values.name ? { name: values.name } : {}),
        to: values.to,
        ...(values.license ? { license: values.license } : {}),
      });
      for (const line of exportSummaryLines(result)) io.stdout.write(line + '\n');
      return 0;
    } finally {
      await store.close();
    }
  },
};

async function exportSteps(dir: string, o: StepExportOptions, io: CliIO): Promise<number> {
  const { store } = await ProjectStore.open(dir, { write: false });
  try {
    const result = await exportStepLabels(stateOf(store), o);
    const m = result.manifest;
    io.stdout.write(`wrote ${m.responses} labelled responses (${m.steps.total} steps) to ${result.file}\n`);
    if (m.skipped.incomplete || m.skipped.badProblem) io.stdout.write(`left out: ${m.skipped.incomplete} unfinished labellings, ${m.skipped.badProblem} flagged bad problem\n`);
    io.stdout.write(`manifest: ${result.manifestFile}\n`);
    io.stdout.write(`load it: ${m.usage}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
