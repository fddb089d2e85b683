import type { PolicySettings } from '../schema/settings';

/**
 * Who runs a batch input file. `vllm`: `vllm run-batch` (entrypoints/openai/run_batch.py),
 * which accepts `/v1/chat/completions`, `/v1/embeddings`, `/score` and `/rerank` lines and
 * aborts the whole file on a line it cannot validate. `openai`: the OpenAI Batch API
 * (`/v1/files` + `/v1/batches`), which also takes `/v1/completions` lines.
 */
export const BATCH_TARGETS = ['vllm', 'openai'] as const;
export type BatchTarget = (typeof BATCH_TARGETS)[number];

/** Why `target` cannot run this run's requests, or null when it can. */
export function batchTargetRefusal(target: BatchTarget, policy: Pick<PolicySettings, 'api'>): string | null {
  if (target === 'vllm' && policy.api === 'completions') {
    return (
      'vllm run-batch does not accept /v1/completions lines (only /v1/chat/completions, /v1/embeddings, /score, /rerank) ' +
      'and would abort the whole file; this run samples with policy.api = completions. ' +
      'Sample this stage live with `hsstar run` (vLLM serves /v1/completions online), or export with --target openai for the OpenAI Batch API'
    );
  }
  return null;
}

/**
 * The message of a failed batch request, whatever shape its `error` has: a string (vLLM's
 * run-batch for requests it could not run), vLLM's ErrorResponse nested
 * (`{error: {message, type, param, code}}`, current) or flat (`{object: "error", message,
 * code}`, older), or OpenAI's `{code, message}`. A string code (OpenAI's) leads the message;
 * a numeric one is the HTTP status, recorded apart.
 */
export function batchErrorMessage(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error.trim() || 'unknown error';
  if (typeof error !== 'object') return String(error);
  const outer = error as Record<string, unknown>;
  const inner =
    outer.error && typeof outer.error === 'object'
      ? (outer.error as Record<string, unknown>)
      : typeof outer.error === 'string'
        ? { message: outer.error }
        : outer;
  const message = typeof inner.message === 'string' && inner.message ? inner.message : typeof outer.message === 'string' && outer.message ? outer.message : null;
  const code = typeof inner.code === 'string' && inner.code ? `${inner.code}: ` : '';
  return `${code}${message ?? 'unknown error'}`;
}
