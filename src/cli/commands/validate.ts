import type { Command } from '../command';
import { parseFlags, positionals } from '../args';
import { datasetFlags, datasetFlagsUsage, datasetOptions } from './dataset-flags';
import { DatasetError, readDataset, type DatasetReader } from '../../store/dataset/index';

const flags = { ...datasetFlags };

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function summary(r: DatasetReader): string {
  const format = r.format === 'json-array' ? 'JSON array' : 'JSONL';
  const layout = r.layout ? `${r.layout.name}, id: ${r.layout.idField ?? 'content hash'}` : 'not detected';
  const errors = r.errors.length;
  const warnings = r.issues.length - errors;
  return `${r.path}: ${format}, layout ${layout}; ${r.problemCount} problems, ${errors} errors, ${warnings} warnings (${r.rows} rows)`;
}

export const validate: Command = {
  name: 'validate',
  summary: 'check a dataset file and list the problems found',
  usage: `Usage: hsstar validate FILE [options]

Reads a JSONL or JSON-array dataset, prints every problem found (id, start of the
question, reference answer) and a summary; problems with the file go to stderr.
Exit code 1 when any row is bad.

Options:
${datasetFlagsUsage}`,
  async run(argv, io, signal) {
    const { values, positionals: pos } = parseFlags(argv, flags);
    const [file] = positionals(pos, ['FILE']);
    const reader = readDataset(file!, datasetOptions(values));
    let failed = false;
    try {
      for await (const p of reader) {
        if (signal.aborted) break; // Ctrl-C, or the output's reader went away
        io.stdout.write(`${p.id}\t${oneLine(p.question, 72)}\t=> ${oneLine(p.answer, 60)}\n`);
      }
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      failed = true;
    }
    for (const i of reader.issues) io.stderr.write(`${i.severity}: ${i.message}\n`);
    io.stdout.write(summary(reader) + '\n');
    if (failed && reader.issues.at(-1)?.severity === 'error' && values['skip-bad'] !== true) {
      io.stderr.write('stopped at the first bad row; use --skip-bad to report every bad row\n');
    }
    return failed || reader.errors.length > 0 ? 1 : 0;
  },
};
