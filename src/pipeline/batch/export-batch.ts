import { UserError } from '../../core/errors';
import { batchRequestLine, batchTargetRefusal, pendingRequests, type BatchStage, type BatchTarget } from '../../core/batch/index';
import { stateOf } from '../derive-from-store';
import type { RunStore } from '../run-store';
import { refuseOverwrite, writeOutputFile } from '../output-file';

export interface BatchExportOptions {
  stage: BatchStage;
  out: string;
  /** Replace an existing file; without it an existing file stops the export. */
  force?: boolean;
  /** Who will run the file (default `vllm`): only lines it accepts are written. */
  target?: BatchTarget;
}

export interface BatchExportResult {
  out: string;
  /** Lines written (one request each). */
  requests: number;
  /** Responses those requests buy. */
  samples: number;
  missingPresamples: number;
  unlabelled: number;
}

/**
 * Writes the stage's pending requests as a Batch input file for `o.target` (`vllm run-batch`
 * or the OpenAI Batch API; one format, but vLLM refuses completions lines, so such a run is
 * refused for it before anything is written). Nothing in the project folder changes; the
 * file appears whole (written beside, then renamed) or not at all.
 */
export async function exportBatch(store: RunStore, o: BatchExportOptions): Promise<BatchExportResult> {
  const refusal = batchTargetRefusal(o.target ?? 'vllm', store.settings.policy);
  if (refusal) throw new UserError(refusal, 'policy.api');
  await refuseOverwrite([o.out], o.force);
  const state = stateOf(store);
  const pending = pendingRequests(state, o.stage);
  const questions = new Map(store.problems().map((p) => [p.id, p.question]));
  const policy = store.settings.policy;
  await writeOutputFile(o.out, async (fh) => {
    let chunk: string[] = [];
    for (const target of pending.requests) {
      chunk.push(JSON.stringify(batchRequestLine(policy, questions.get(target.problemId)!, target)) + '\n');
      if (chunk.length >= 1000) {
        await fh.write(chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length > 0) await fh.write(chunk.join(''));
  });
  return {
    out: o.out,
    requests: pending.requests.length,
    samples: pending.samples,
    missingPresamples: pending.missingPresamples,
    unlabelled: pending.unlabelled,
  };
}
