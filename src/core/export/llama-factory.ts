import { UserError } from '../errors';
import type { PairRow } from './rows';

/** LLaMA-Factory's ranking (preference) data in the alpaca layout. */
export function llamaFactoryRecord(row: PairRow): { instruction: string; input: string; chosen: string; rejected: string; system: string } {
  return { instruction: row.prompt, input: '', chosen: row.chosen, rejected: row.rejected, system: row.system };
}

/** One `dataset_info.json` entry: LLaMA-Factory's parser reads `file_name`, `ranking` and `columns`. */
export function llamaFactoryEntry(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    ranking: true,
    columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', system: 'system' },
  };
}

/** A dataset name LLaMA-Factory accepts on its command line (`dataset: a,b` splits on commas). */
export function datasetName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'hsstar_pairs';
}

/** The default name: the run folder and its round, e.g. `hsstar_run1_r0`. */
export function defaultDatasetName(runFolder: string, round: number): string {
  return datasetName(`hsstar_${runFolder}_r${round}`);
}

/**
 * Adds or replaces this export's entries in an existing `dataset_info.json` (null when there
 * is none) and keeps every other entry as it was. An entry of the same name that points at
 * another file is replaced only with `force`, so a second export cannot silently take over
 * a dataset registered by hand.
 */
export function mergeDatasetInfo(
  existing: string | null,
  entries: Record<string, Record<string, unknown>>,
  o: { where: string; force: boolean },
): string {
  let info: Record<string, unknown> = {};
  if (existing !== null && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (err) {
      throw new UserError(`is not JSON (${(err as Error).message}); fix or move it, nothing was written`, o.where);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError('must hold one JSON object of datasets; nothing was written', o.where);
    info = parsed as Record<string, unknown>;
  }
  for (const [name, entry] of Object.entries(entries)) {
    // Own entries only: a name such as `constructor` is no clash with Object's prototype.
    const old = Object.hasOwn(info, name) ? (info[name] as { file_name?: unknown } | null) : undefined;
    if (old !== undefined && old?.file_name !== entry.file_name && !o.force) {
      throw new UserError(`already registers "${name}" for ${JSON.stringify(old?.file_name ?? null)}; pass --name for another name or --force to replace it`, o.where);
    }
  }
  return JSON.stringify({ ...info, ...entries }, null, 2) + '\n';
}

/**
 * LLaMA-Factory renders prompts with its own template named on the command line. A
 * completions run was sampled on the raw prompt: `empty` adds nothing around it. For a chat
 * run the template of the model's family, when the name says which.
 */
export function llamaFactoryTemplate(api: 'chat' | 'completions', model: string): string | null {
  if (api === 'completions') return 'empty';
  const m = model.toLowerCase();
  if (/qwen3/.test(m)) return 'qwen3';
  if (/qwen/.test(m)) return 'qwen';
  if (/llama-?3/.test(m)) return 'llama3';
  if (/mistral/.test(m)) return 'mistral';
  if (/gemma/.test(m)) return 'gemma';
  if (/deepseek.*r1/.test(m)) return 'deepseekr1';
  return null;
}
