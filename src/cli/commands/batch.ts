import { resolve } from 'node:path';
import type { Command } from '../command';
import type { CliIO } from '../io';
import { parseFlags, positionals } from '../args';
import { UsageError } from '../../core/errors';
import { ProjectStore, type RecoveryReport } from '../../store/project';
import type { BatchApi, BatchStatus } from '../../endpoints/batch-api';
import { awaitBatch, exportBatch, importBatch, refuseResultOverwrite, submitBatch, type BatchOutcome } from '../../pipeline/batch/index';
import { requireApprovedEndpoints } from '../../pipeline/clients';
import { resolveApiKey } from '../../endpoints/api-key';
import type { RunSettings } from '../../core/schema/index';
import { BATCH_TARGETS, type BatchTarget } from '../../core/batch/index';

const isBatchTarget = (t: string): t is BatchTarget => (BATCH_TARGETS as readonly string[]).includes(t);

const usage = `Usage: hsstar batch export DIR --stage rde|resample --out FILE [--target vllm|openai] [--force] [--submit]
       hsstar batch import DIR FILE
       hsstar batch wait DIR BATCH_ID --out FILE [--force]

Hands the sampling of a stage to a batch engine (the OpenAI Batch API, or
\`vllm run-batch\` on a GPU cluster) and reads its answers back.

export   writes the stage's pending requests as a Batch input file (JSON lines of
         {custom_id, method, url, body}); the project folder is not changed.
import   reads a Batch output (or error) file: every response is written to the
         project with its grade; failed requests are recorded; slots already stored
         are skipped, so importing a file twice is harmless. A bad line stops the
         import before anything is written. Run \`hsstar run DIR\` afterwards to score
         the new responses with the PRM.
wait     polls a submitted batch until it ends, downloads its output and error
         files beside FILE (x.jsonl: x.output.jsonl, x.error.jsonl) and imports them.

Options:
  --stage rde|resample   which stage's requests to export (export only)
  --out FILE             where to write the input file
  --target vllm|openai   who runs the file: \`vllm run-batch\` (default; it refuses
                         /v1/completions lines, so a completions run is refused) or
                         the OpenAI Batch API (implied by --submit)
  --force                replace FILE (and, with --submit or wait, the result files
                         x.output.jsonl and x.error.jsonl) if they exist; without it an
                         existing file stops the command before anything is written
  --submit               also upload FILE to the policy endpoint's Batch API (the
                         first policy URL, key from policy.apiKeyEnv), create the
                         batch, then wait for it as \`batch wait\` does
  --poll-seconds S       time between status checks (default 30)`;

const exportFlags = {
  stage: { type: 'string' },
  out: { type: 'string' },
  target: { type: 'string' },
  force: { type: 'boolean' },
  submit: { type: 'boolean' },
  'poll-seconds': { type: 'string' },
} as const;

const waitFlags = { out: { type: 'string' }, force: { type: 'boolean' }, 'poll-seconds': { type: 'string' } } as const;

function pollMs(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const s = Number(value);
  if (value.trim() === '' || !Number.isFinite(s) || s <= 0) throw new UsageError(`--poll-seconds must be a positive number, got '${value}'`);
  return s * 1000;
}

/**
 * The Batch API of the first policy endpoint, with the key the settings name (never
 * stored), once its URLs are approved on this machine. Its client loads here, not with
 * every command.
 */
async function batchApi(settings: RunSettings, env: NodeJS.ProcessEnv, dir: string): Promise<BatchApi> {
  const apiKey = resolveApiKey(settings.policy.apiKeyEnv, 'policy.apiKeyEnv', env);
  requireApprovedEndpoints(settings, env, dir);
  const { BatchApi } = await import('../../endpoints/batch-api');
  return new BatchApi({ baseURL: settings.policy.baseURLs[0]!, ...(apiKey ? { apiKey } : {}) });
}

function statusLine(s: BatchStatus): string {
  return `batch ${s.id}: ${s.status} (${s.counts.completed}/${s.counts.total} done, ${s.counts.failed} failed)\n`;
}

function reportOutcome(io: CliIO, o: BatchOutcome): void {
  for (const { file, result: r } of o.imported) {
    io.stdout.write(`${file}: ${r.lines} lines: ${r.stored} responses stored, ${r.alreadyStored} already stored, ${r.failed} failed requests recorded\n`);
  }
  if (o.imported.length === 0) io.stdout.write(`batch ${o.status.id} ended ${o.status.status} with no result file\n`);
}

function reportRecovery(io: CliIO, recovery: RecoveryReport): void {
  for (const t of recovery.torn) io.stderr.write(`warning: dropped an incomplete last line: ${JSON.stringify(t)}\n`);
  for (const w of recovery.warnings) io.stderr.write(`warning: ${w}\n`);
}

async function runExport(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { values, positionals: pos } = parseFlags(argv, exportFlags);
  const [dir] = positionals(pos, ['DIR']);
  const stage = values.stage;
  if (stage !== 'rde' && stage !== 'resample') throw new UsageError(`--stage must be rde or resample${stage ? `, not '${stage}'` : ''}`);
  if (!values.out) throw new UsageError('missing --out FILE');
  const target = values.target ?? (values.submit ? 'openai' : 'vllm');
  if (!isBatchTarget(target)) throw new UsageError(`--target must be ${BATCH_TARGETS.join(' or ')}, not '${target}'`);
  if (values.submit && target === 'vllm') throw new UsageError('--submit sends the file to an OpenAI Batch API; vllm run-batch runs on the cluster (drop --submit, or use --target openai)');
  const poll = pollMs(values['poll-seconds']);
  const out = resolve(io.cwd, values.out);
  // Submitting ends in an import, which writes: take the lock from the start.
  const { store, recovery } = await ProjectStore.open(resolve(io.cwd, dir!), { write: values.submit === true });
  try {
    reportRecovery(io, recovery);
    // A missing key is reported before anything is written.
    const api = values.submit ? await batchApi(store.settings, io.env, dir!) : null;
    if (api) await refuseResultOverwrite(out, values.force);
    const r = await exportBatch(store, { stage, out, target, force: values.force === true });
    if (stage === 'resample' && (r.missingPresamples > 0 || r.unlabelled > 0)) {
      io.stderr.write(
        `warning: ${r.missingPresamples} problems lack pre-samples and ${r.unlabelled} are unlabelled; the re-sampling plan may change once RDE is complete\n`,
      );
    }
    io.stdout.write(`${r.out}: ${r.requests} requests for ${r.samples} responses (stage ${stage})\n`);
    if (!api || r.requests === 0) return 0;
    const created = await submitBatch(store, out, { api, signal });
    io.stdout.write(`submitted: ${statusLine(created)}`);
    io.stdout.write(`(if interrupted: hsstar batch wait ${dir} ${created.id} --out ${values.out})\n`);
    reportOutcome(io, await awaitBatch(store, created.id, out, { api, pollMs: poll, signal, force: values.force === true, onStatus: (s) => io.stderr.write(statusLine(s)) }));
    return 0;
  } finally {
    await store.close();
  }
}

async function runWait(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { values, positionals: pos } = parseFlags(argv, waitFlags);
  const [dir, batchId] = positionals(pos, ['DIR', 'BATCH_ID']);
  if (!values.out) throw new UsageError('missing --out FILE');
  const poll = pollMs(values['poll-seconds']);
  const { store, recovery } = await ProjectStore.open(resolve(io.cwd, dir!), { write: true });
  try {
    reportRecovery(io, recovery);
    const api = await batchApi(store.settings, io.env, dir!);
    const watch = { api, pollMs: poll, signal, force: values.force === true, onStatus: (s: BatchStatus) => io.stderr.write(statusLine(s)) };
    reportOutcome(io, await awaitBatch(store, batchId!, resolve(io.cwd, values.out), watch));
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
  async run(argv, io, signal) {
    const [sub, ...rest] = argv;
    if (sub === 'export') return runExport(rest, io, signal);
    if (sub === 'import') return runImport(rest, io);
    if (sub === 'wait') return runWait(rest, io, signal);
    throw new UsageError(sub ? `unknown batch command '${sub}' (export, import or wait)` : 'missing export, import or wait');
  },
};
