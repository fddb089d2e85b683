import { resolve } from 'node:path';
import type { Command } from '../command';
import type { CliIO } from '../io';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { ProjectStore, type RecoveryReport } from '../../store/project';
import { exportBatch, importBatch } from '../../pipeline/batch/index';

const usage = `Usage: hsstar batch export DIR --stage rde|resample --out FILE [--force]
       hsstar batch import DIR FILE

Hands the sampling of a stage to a batch engine (the OpenAI Batch API, or
\`vllm run-batch\` on a GPU cluster) and reads its answers back.

export   writes the stage's pending requests as a Batch input file (JSON lines of
         {custom_id, method, url, body}); the project folder is not changed.
import   reads a Batch output (or error) file: every response is written to the
         project with its grade; failed requests are recorded; slots already stored
         are skipped, so importing a file twice is harmless. A bad line stops the
         import before anything is written. Run \`hsstar run DIR\` afterwards to score
         the new responses with the PRM.

Options:
  --stage rde|resample   which stage's requests to export (export only)
  --out FILE             where to write the input file (export only)
  --force                replace FILE if it exists`;

const exportFlags = {
  stage: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
} as const;

function reportRecovery(io: CliIO, recovery: RecoveryReport): void {
  for (const t of recovery.torn) io.stderr.write(`warning: dropped an incomplete last line: ${JSON.stringify(t)}\n`);
  for (const w of recovery.warnings) io.stderr.write(`warning: ${w}\n`);
}

async function runExport(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: pos } = parseFlags(argv, exportFlags);
  const [dir] = positionals(pos, ['DIR']);
  const stage = values.stage;
  if (stage !== 'rde' && stage !== 'resample') throw new UsageError(`--stage must be rde or resample${stage ? `, not '${stage}'` : ''}`);
  if (!values.out) throw new UsageError('missing --out FILE');
  const { store, recovery } = await ProjectStore.open(resolve(io.cwd, dir!), { write: false });
  try {
    reportRecovery(io, recovery);
    const r = await exportBatch(store, { stage, out: resolve(io.cwd, values.out), force: values.force === true });
    if (stage === 'resample' && (r.missingPresamples > 0 || r.unlabelled > 0)) {
      io.stderr.write(
        `warning: ${r.missingPresamples} problems lack pre-samples and ${r.unlabelled} are unlabelled; the re-sampling plan may change once RDE is complete\n`,
      );
    }
    io.stdout.write(`${r.out}: ${r.requests} requests for ${r.samples} responses (stage ${stage})\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function runImport(argv: string[], io: CliIO): Promise<number> {
  const { positionals: pos } = parseFlags(argv, {});
  const [dir, file] = positionals(pos, ['DIR', 'FILE']);
  const { store, recovery } = await ProjectStore.open(resolve(io.cwd, dir!), { write: true });
  try {
    reportRecovery(io, recovery);
    const r = await importBatch(store, resolve(io.cwd, file!));
    io.stdout.write(
      `${r.lines} lines: ${r.stored} responses stored, ${r.alreadyStored} already stored, ${r.duplicates} duplicate, ` +
        `${r.failed} failed requests recorded, ${r.failuresSkipped} failures already known\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export const batchCommand: Command = {
  name: 'batch',
  summary: 'export pending requests as an OpenAI Batch file, import its output',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'export') return runExport(rest, io);
    if (sub === 'import') return runImport(rest, io);
    throw new UsageError(sub ? `unknown batch command '${sub}' (export or import)` : 'missing export or import');
  },
};
