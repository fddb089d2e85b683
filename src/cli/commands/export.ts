import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { basename, resolve } from 'node:path';
import { UsageError } from '../../core/errors';
import { EXPORT_FORMATS, isExportFormat } from '../../core/export/formats';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';
import { exportPairs } from '../../pipeline/export-run';
import { exportSummaryLines } from './export-summary';

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
} as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the DPO pairs for TRL, OpenRLHF or LLaMA-Factory, with a manifest and the trainer commands',
  usage: `Usage: hsstar export DIR --format ${EXPORT_FORMATS.join('|')} --out FILE [options]

Writes the run's pairs (curator edits applied, shuffled with the run's seed) as JSON
lines, FILE's manifest beside it (NAME.manifest.json: what produced the pairs, counts,
token lengths, what was left out, the trainer commands) and, for llama-factory, merges
the entry into dataset_info.json beside FILE (other entries are kept).
Existing files are never replaced without --force.

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
  --license ID                the card's licence (default other)`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    if (!values.format) throw new UsageError('missing --format');
    if (!isExportFormat(values.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('missing --out');
    const evalFraction = values['eval-fraction'] === undefined ? 0 : Number(values['eval-fraction']);
    if (!Number.isFinite(evalFraction) || evalFraction < 0 || evalFraction >= 1) throw new UsageError('--eval-fraction must be a number from 0 up to (not including) 1');
    if (values.to !== 'jsonl' && values.to !== 'parquet') throw new UsageError('--to must be jsonl or parquet');
    const dir = resolve(io.cwd, dirArg!);
    const { store } = await ProjectStore.open(dir, { write: false });
    try {
      const result = await exportPairs(stateOf(store), {
        format: values.format,
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
