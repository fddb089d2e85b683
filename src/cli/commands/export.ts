import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../core/export/formats';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';
import { exportPairs } from '../../pipeline/export-run';
import { isStepwiseFormat, STEPWISE_FORMATS } from '../../core/export/stepwise/stepwise-formats';
import { NEUTRAL_RULES, type NeutralRule } from '../../core/export/stepwise/trl-stepwise';
import { exportStepLabels, type StepExportOptions } from '../../pipeline/export-steps';
import type { StepwiseFormat } from '../../core/export/stepwise/stepwise-formats';
import type { CliIO } from '../io';

const flags = {
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  'neutral-as': { type: 'string', default: 'true' },
} as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the DPO pairs for TRL, OpenRLHF or LLaMA-Factory, with a manifest',
  usage: `Usage: hsstar export DIR --format ${EXPORT_FORMATS.join('|')} --out FILE [--force]

Writes the run's pairs (curator edits applied, shuffled with the run's seed) as JSON
lines, FILE's manifest beside it (NAME.manifest.json: counts per label, pairs, settings
and dataset hashes, time) and, for llama-factory, the dataset_info.json entry.
Existing files are never replaced without --force.

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
    const neutral = values['neutral-as'];
    if (!(NEUTRAL_RULES as readonly string[]).includes(neutral)) throw new UsageError(`--neutral-as must be one of ${NEUTRAL_RULES.join(', ')}`);
    if (stepwise) return exportSteps(resolve(io.cwd, dirArg!), { format: values.format as StepwiseFormat, out: resolve(io.cwd, values.out), force: values.force, neutral: neutral as NeutralRule }, io);
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: false });
    try {
      const result = await exportPairs(stateOf(store), { format: values.format as ExportFormat, out: resolve(io.cwd, values.out), force: values.force });
      const m = result.manifest;
      io.stdout.write(`wrote ${m.pairs} pairs to ${result.file}\n`);
      for (const c of result.companions) io.stdout.write(`wrote ${c}\n`);
      io.stdout.write(`manifest: ${result.manifestFile}\n`);
      io.stdout.write(`load it: ${m.usage}\n`);
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
