import type { PairRow } from './rows';

/** LLaMA-Factory's ranking (preference) data in the alpaca layout. */
export function llamaFactoryRecord(row: PairRow): { instruction: string; input: string; chosen: string; rejected: string; system: string } {
  return { instruction: row.prompt, input: '', chosen: row.chosen, rejected: row.rejected, system: row.system };
}

/** The entry to paste into LLaMA-Factory's `data/dataset_info.json`, keyed by the dataset name. */
export function llamaFactoryDatasetInfo(name: string, fileName: string): Record<string, unknown> {
  return {
    [name]: {
      file_name: fileName,
      ranking: true,
      columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected', system: 'system' },
    },
  };
}
