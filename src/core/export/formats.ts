import type { PairRow } from './rows';
import { trlStandardRecord } from './trl';
import { trlConversationalRecord } from './trl-conversational';
import { OPENRLHF_FLAGS, openRlhfRecord } from './openrlhf';
import { llamaFactoryDatasetInfo, llamaFactoryRecord } from './llama-factory';

export const EXPORT_FORMATS = ['trl', 'trl-conversational', 'openrlhf', 'llama-factory'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** A file written next to the export (e.g. LLaMA-Factory's dataset_info entry). */
export interface CompanionFile {
  name: string;
  content: string;
}

export interface RenderedExport {
  /** JSON Lines, one pair a line, newline-terminated. */
  content: string;
  companions: CompanionFile[];
  /** How to load the file in the trainer, for the manifest and the CLI's summary. */
  usage: string;
}

const RECORD: Record<ExportFormat, (row: PairRow) => unknown> = {
  trl: trlStandardRecord,
  'trl-conversational': trlConversationalRecord,
  openrlhf: openRlhfRecord,
  'llama-factory': llamaFactoryRecord,
};

/** `fileName` is the export's base name (e.g. `pairs.jsonl`), used in companion files. */
export function renderExport(format: ExportFormat, rows: readonly PairRow[], fileName: string): RenderedExport {
  const record = RECORD[format];
  const content = rows.map((r) => JSON.stringify(record(r)) + '\n').join('');
  switch (format) {
    case 'trl':
    case 'trl-conversational':
      return { content, companions: [], usage: `datasets.load_dataset("json", data_files="${fileName}") then trl.DPOTrainer` };
    case 'openrlhf':
      return { content, companions: [], usage: `openrlhf.cli.train_dpo --dataset ${fileName} ${OPENRLHF_FLAGS}` };
    case 'llama-factory': {
      const name = fileName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]+/g, '_') || 'hsstar_pairs';
      const info = JSON.stringify(llamaFactoryDatasetInfo(name, fileName), null, 2) + '\n';
      return {
        content,
        companions: [{ name: 'dataset_info.json', content: info }],
        usage: `merge dataset_info.json into LLaMA-Factory's data/dataset_info.json, copy ${fileName} to data/, train with stage: dpo, dataset: ${name}`,
      };
    }
  }
}
