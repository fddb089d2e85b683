import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors';
import { EXPORT_FORMATS, isExportFormat } from '../../core/export/formats';
import { ProjectStore } from '../../store/project';
import { stateOf } from '../../pipeline/derive-from-store';
import { exportPairs } from '../../pipeline/export-run';

const flags = {
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
} as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the DPO pairs for TRL, OpenRLHF or LLaMA-Factory, with a manifest',
  usage: `Usage: hsstar export DIR --format ${EXPORT_FORMATS.join('|')} --out FILE [--force]

Writes the run's pairs (curator edits applied, shuffled with the run's seed) as JSON
lines, FILE's manifest beside it (NAME.manifest.json: counts per label, pairs, settings
and dataset hashes, time) and, for llama-factory, the dataset_info.json entry.
Existing files are never replaced without --force.`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [dirArg] = positionals(pos, ['DIR']);
    if (!values.format) throw new UsageError('missing --format');
    if (!isExportFormat(values.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('missing --out');
    const { store } = await ProjectStore.open(resolve(io.cwd, dirArg!), { write: false });
    try {
      const result = await exportPairs(stateOf(store), { format: values.format, out: resolve(io.cwd, values.out), force: values.force });
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
