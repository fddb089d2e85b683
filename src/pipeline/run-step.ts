import { runRequests, type RunRequestsOptions } from './engine/run-requests';
import type { StageName, StepName } from './pipeline-events';
import { isoNow, type StageContext, type StepResult } from './stage-context';
import type { FailureRecord } from '../core/schema/index';
import type { EndpointError } from '../endpoints/endpoint-error';

/**
 * Runs one request-driven step through the engine and reports it as pipeline events.
 * Every option of the engine except the context-wide ones comes from the step.
 */
export async function runStep<J, C extends { url: string }, R>(
  ctx: StageContext,
  stage: StageName,
  step: StepName,
  total: number,
  options: Omit<RunRequestsOptions<J, C, R>, 'signal' | 'onProgress' | 'log' | 'secrets' | 'retry'>,
): Promise<StepResult> {
  ctx.onEvent?.({ kind: 'step-start', stage, step, total });
  const summary = await runRequests<J, C, R>({
    ...options,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.retry ? { retry: ctx.retry } : {}),
    secrets: ctx.clients.secrets,
    onProgress: (progress) => ctx.onEvent?.({ kind: 'progress', stage, step, total, progress }),
    log: (line) => ctx.onEvent?.({ kind: 'log', line: `${step}: ${line}` }),
  });
  const result: StepResult = { stage, step, total, progress: summary.progress, status: summary.status };
  ctx.onEvent?.({ kind: 'step-end', ...result });
  if (summary.reason) ctx.onEvent?.({ kind: 'log', line: `${step}: paused: ${summary.reason}` });
  return result;
}

/** A request given up on, as the record status reports. */
export function failureRecord(ctx: StageContext, endpoint: FailureRecord['endpoint'], targets: string[], err: EndpointError): FailureRecord {
  return { kind: 'failure', endpoint, targets, url: err.url, status: err.status, message: err.message, at: isoNow(ctx) };
}
