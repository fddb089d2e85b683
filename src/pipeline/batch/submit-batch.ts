import { UserError } from '../../core/errors';
import { BATCH_CHAT_URL, BATCH_COMPLETIONS_URL } from '../../core/batch/index';
import type { BatchApi, BatchStatus } from '../../endpoints/batch-api';
import { FINAL_BATCH_STATES } from '../../endpoints/batch-states';
import type { BatchStore } from './batch-store';
import { importBatch, type BatchImportResult } from './import-batch';
import { refuseOverwrite } from '../output-file';

export interface BatchWatch {
  api: BatchApi;
  /** Time between status requests. */
  pollMs: number;
  signal?: AbortSignal;
  onStatus?: (status: BatchStatus) => void;
  /** Replace result files already beside the input file; without it they stop the wait before the first poll. */
  force?: boolean;
}

export interface BatchOutcome {
  status: BatchStatus;
  /** Result files written beside the input file, and what importing each did. */
  imported: { file: string; result: BatchImportResult }[];
}

/** `x.jsonl` → `x.output.jsonl` / `x.error.jsonl`. */
export function resultPath(base: string, kind: 'output' | 'error'): string {
  return `${base.replace(/\.jsonl$/i, '')}.${kind}.jsonl`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UserError('stopped while waiting for the batch'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new UserError('stopped while waiting for the batch'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Stops when the result files of `base` are there already and `force` is off: `vllm run-batch
 * -o x.output.jsonl` writes the same name. Checked before submitting and before the first
 * poll, so the user hears it now, not after hours of waiting.
 */
export async function refuseResultOverwrite(base: string, force: boolean | undefined): Promise<void> {
  await refuseOverwrite([resultPath(base, 'output'), resultPath(base, 'error')], force);
}

/** Uploads an exported input file and creates the batch; returns its id at once. */
export async function submitBatch(store: BatchStore, inputFile: string, w: Pick<BatchWatch, 'api' | 'signal'>): Promise<BatchStatus> {
  const endpoint = store.settings.policy.api === 'completions' ? BATCH_COMPLETIONS_URL : BATCH_CHAT_URL;
  const fileId = await w.api.upload(inputFile, w.signal);
  return w.api.create(fileId, endpoint, w.signal);
}

/**
 * Polls a batch until it ends, then downloads its output and error files beside `base` and
 * imports both into the run. Result files already there are replaced only with `force`. A batch that failed validation is an error with the server's reasons.
 */
export async function awaitBatch(store: BatchStore, batchId: string, base: string, w: BatchWatch): Promise<BatchOutcome> {
  await refuseResultOverwrite(base, w.force);
  let status = await w.api.status(batchId, w.signal);
  w.onStatus?.(status);
  while (!FINAL_BATCH_STATES.includes(status.status)) {
    await sleep(w.pollMs, w.signal);
    status = await w.api.status(batchId, w.signal);
    w.onStatus?.(status);
  }
  if (status.status === 'failed' && !status.outputFileId) {
    const why = status.problems.length ? status.problems.slice(0, 5).join('; ') : 'no reason given';
    throw new UserError(`batch ${batchId} failed: ${why}`, w.api.url);
  }
  const imported: BatchOutcome['imported'] = [];
  for (const [kind, fileId] of [
    ['output', status.outputFileId],
    ['error', status.errorFileId],
  ] as const) {
    if (!fileId) continue;
    const file = resultPath(base, kind);
    await refuseOverwrite([file], w.force);
    await w.api.download(fileId, file, w.signal);
    imported.push({ file, result: await importBatch(store, file) });
  }
  return { status, imported };
}
