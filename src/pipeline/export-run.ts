import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors';
import { asFileError } from '../core/file-errors';
import { readBounded } from '../store/folder/index';
import { FORMATS, renderRecords, renderRows, type ExportFormat, type RenderContext } from '../core/export/formats';
import { encodeParquet } from '../core/export/parquet';
import { datasetCard, isLicenseId } from '../core/export/dataset-card';
import { buildManifest, canonicalJson, pairsPerProblem, type ExportManifest } from '../core/export/manifest';
import { pairRows } from '../core/export/rows';
import { chatTemplateRenderer } from '../core/export/chat-template';
import { evalSplit } from '../core/export/eval-split';
import { exportLengths } from '../core/export/lengths';
import { leftOut } from '../core/export/left-out';
import { defaultDatasetName, llamaFactoryEntry, llamaFactoryTemplate, mergeDatasetInfo } from '../core/export/llama-factory';
import { DEFAULT_PAIR_RULES, type PairRules } from '../core/pairs';
import type { RunSettings } from '../core/schema/index';
import { relabel } from '../core/state/derive';
import type { RunState } from '../core/state/run-state';
import { makeFolderFor, refuseOverwrite, writeOutputFile } from './output-file';

/** LLaMA-Factory's dataset_info.json lists datasets by name: far below this. */
const DATASET_INFO_MAX_BYTES = 16 << 20;

export interface ExportOptions {
  format: ExportFormat;
  /** The JSON-lines file to write. */
  out: string;
  /** Replace existing files; without it an existing file stops the export. */
  force?: boolean;
  now?: () => string;
  /** The policy model's tokenizer_config.json: renders a chat run's prompt for the string `trl` format. */
  tokenizerConfig?: string;
  /** LLaMA-Factory dataset name; default from `runFolder` and the round. */
  name?: string;
  /** The run folder's name, for the default dataset name. */
  runFolder?: string;
  /** Share of the problems (with pairs) held out, by problem, into `NAME.eval.jsonl`. */
  evalFraction?: number;
  /** Which truncated / answerless responses may be rejected; default: none. */
  pairRules?: PairRules;
  /** `parquet`: Parquet files plus a dataset card (README.md), a folder the Hub can show. */
  to?: 'jsonl' | 'parquet';
  /** The card's licence id (Hub `license` field); default `other`. */
  license?: string;
}

export interface ExportResult {
  file: string;
  evalFile: string | null;
  manifestFile: string;
  companions: string[];
  manifest: ExportManifest;
}

/** sha256 of the canonical settings JSON: two runs with equal settings share it. */
export function settingsHash(settings: RunSettings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}

/** LLaMA-Factory's dataset registry, written beside the pairs. */
const DATASET_INFO = 'dataset_info.json';

const EXTENSION = /\.(jsonl?|parquet)$/i;
const baseOf = (out: string) => basename(out).replace(EXTENSION, '');

/** `pairs.jsonl` → `pairs.manifest.json`, beside it. */
export function manifestPathOf(out: string): string {
  return join(dirname(out), `${baseOf(out)}.manifest.json`);
}

/** `pairs.jsonl` → `pairs.eval.jsonl` (`pairs.parquet` → `pairs.eval.parquet`), beside it. */
export function evalPathOf(out: string): string {
  const ext = EXTENSION.exec(basename(out))?.[0] ?? '.jsonl';
  return join(dirname(out), `${baseOf(out)}.eval${ext}`);
}

async function renderContext(state: RunState, o: ExportOptions): Promise<RenderContext> {
  let renderPrompt = null;
  if (o.tokenizerConfig) {
    const text = await readFile(o.tokenizerConfig, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new UserError(`cannot be read (${err.code ?? err.message})`, o.tokenizerConfig);
    });
    renderPrompt = chatTemplateRenderer(text, o.tokenizerConfig);
  }
  return { api: state.settings.policy.api, renderPrompt, withReward: state.settings.reward.protocol !== 'none' };
}

/**
 * Writes the pairs in the chosen format (and the held-out problems' pairs), LLaMA-Factory's
 * dataset_info.json merged, and a manifest; every file whole or not at all, the manifest last.
 */
export async function exportPairs(given: RunState, o: ExportOptions): Promise<ExportResult> {
  const rules = o.pairRules ?? DEFAULT_PAIR_RULES;
  const custom = rules.keepTruncatedRejected !== DEFAULT_PAIR_RULES.keepTruncatedRejected || rules.keepUnansweredRejected !== DEFAULT_PAIR_RULES.keepUnansweredRejected;
  const state = custom ? relabel(given, { pairRules: rules }) : given;
  const spec = FORMATS[o.format];
  const ctx = await renderContext(state, o);
  const refusal = spec.refusal(ctx);
  if (refusal) throw new UserError(refusal, `--format ${o.format}`);

  const parquet = o.to === 'parquet';
  if (parquet && !o.out.endsWith('.parquet')) throw new UserError('must end in .parquet with --to parquet', '--out');
  const license = o.license ?? 'other';
  if (!isLicenseId(license)) throw new UserError('must be a licence id as the Hub takes it, e.g. apache-2.0, cc-by-4.0, mit, other', '--license');
  const fraction = o.evalFraction ?? 0;
  if (!(fraction >= 0 && fraction < 1)) throw new UserError('must be at least 0 and below 1', '--eval-fraction');
  const rows = pairRows(state);
  const split = evalSplit(rows, fraction, state.settings.seed);
  const evalFile = split.eval.length > 0 ? evalPathOf(o.out) : null;
  const manifestFile = manifestPathOf(o.out);
  const lengths = exportLengths(rows);
  const { policy } = state.settings;
  const name = o.name ?? defaultDatasetName(o.runFolder ?? 'run', state.settings.round.index);
  const evalName = evalFile ? `${name}_eval` : null;
  const commands = spec.commands({
    api: policy.api,
    model: policy.model,
    file: o.out,
    evalFile,
    maxLength: lengths.suggested.maxLength,
    maxPromptLength: lengths.suggested.maxPromptLength,
    dataset: name,
    evalDataset: evalName,
    datasetDir: dirname(o.out),
    template: llamaFactoryTemplate(policy.api, policy.model),
  });

  const encode = (part: typeof rows) => (parquet ? encodeParquet(renderRecords(o.format, part, ctx)) : renderRows(o.format, part, ctx));
  const files: { path: string; content: string | Uint8Array }[] = [
    { path: o.out, content: encode(split.train) },
    ...(evalFile ? [{ path: evalFile, content: encode(split.eval) }] : []),
  ];
  const cardFile = parquet ? join(dirname(o.out), 'README.md') : null;
  const infoFile = spec.datasetInfo ? join(dirname(o.out), DATASET_INFO) : null;
  // The registry is merged, never replaced by the pairs: --force cannot make one file both.
  if (infoFile && files.some((f) => f.path === infoFile)) {
    throw new UserError(`is the LLaMA-Factory registry this export merges its entry into, so the pairs cannot go there (not even with --force); choose another file name`, infoFile);
  }
  await refuseOverwrite([...files.map((f) => f.path), manifestFile, ...(cardFile ? [cardFile] : [])], o.force);
  const companions: { path: string; content: string | Uint8Array }[] = [];
  if (infoFile) {
    const path = infoFile;
    // Beside the pairs, by default in the run folder's exports/: read bounded, never through a link.
    const existing = (await readBounded(path, { maxBytes: DATASET_INFO_MAX_BYTES }).catch((err: unknown) => {
      throw err instanceof UserError ? err : asFileError(err, path);
    }))?.toString('utf8') ?? null;
    const entries: Record<string, Record<string, unknown>> = { [name]: llamaFactoryEntry(basename(o.out)) };
    if (evalFile && evalName) entries[evalName] = llamaFactoryEntry(basename(evalFile));
    companions.push({ path, content: mergeDatasetInfo(existing, entries, { where: path, force: o.force ?? false }) });
  }

  const graders = new Set<string>();
  for (const p of state.pairs) {
    for (const id of [p.chosenId, p.rejectedId]) {
      const g = state.byId.get(p.problemId)?.responses.find((v) => v.response.id === id)?.grade;
      if (g) graders.add(g.grader);
    }
  }
  const manifest = buildManifest(state, {
    format: o.format,
    file: basename(o.out),
    pairs: split.train.length,
    createdAt: o.now ? o.now() : new Date().toISOString(),
    settingsHash: settingsHash(state.settings),
    usage: commands[0]!.command,
    graders: [...graders].sort(),
    pairsPerProblem: pairsPerProblem(rows.map((r) => r.problemId)),
    tokens: lengths,
    leftOut: leftOut(state, rules),
    rules,
    eval: evalFile ? { file: basename(evalFile), pairs: split.eval.length, fraction, problems: split.evalProblems } : null,
    commands,
  });
  if (cardFile) companions.push({ path: cardFile, content: datasetCard(manifest, { license, datasetFileName: basename(state.settings.dataset.path) }) });
  await makeFolderFor(o.out);
  for (const f of [...files, ...companions]) await writeOutputFile(f.path, f.content);
  await writeOutputFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { file: o.out, evalFile, manifestFile, companions: companions.map((c) => c.path), manifest };
}
