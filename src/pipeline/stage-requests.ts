import { runRequests, type RunRequestsOptions, type RunSummary } from './engine/run-requests';
import type { StageName, TaskName } from './pipeline-events';
import { isoNow, type StageContext, type StageRequestsResult } from './stage-context';
import type { FailureRecord } from '../core/schema/index';
import type { EndpointError } from '../endpoints/endpoint-error';

/** The engine options every task takes from the context: cancel, retry timing, secrets, progress and log. */
type ContextHooks = Pick<RunRequestsOptions<unknown, { url: string }, unknown>, 'signal' | 'cut' | 'onProgress' | 'log' | 'secrets' | 'retry'>;

/**
 * Runs one request-driven task of a stage through the engine and reports it as pipeline events.
 * Every option of the engine except the context-wide ones comes from the task.
 */
export function runStageRequests<J, C extends { url: string }, R>(
  ctx: StageContext,
  stage: StageName,
  task: TaskName,
  total: number,
  options: Omit<RunRequestsOptions<J, C, R>, keyof ContextHooks>,
): Promise<StageRequestsResult> {
  return reportStageRequests(ctx, stage, task, total, (hooks) => runRequests<J, C, R>({ ...options, ...hooks }));
}

/** A task driven by `run` (which passes the hooks on to the engine), reported as pipeline events. */
export async function reportStageRequests(
  ctx: StageContext,
  stage: StageName,
  task: TaskName,
  total: number,
  run: (hooks: ContextHooks) => Promise<RunSummary>,
): Promise<StageRequestsResult> {
  ctx.onEvent?.({ kind: 'task-start', stage, task, total });
  const summary = await run({
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.cut ? { cut: ctx.cut } : {}),
    ...(ctx.retry ? { retry: ctx.retry } : {}),
    secrets: ctx.clients.secrets,
    onProgress: (progress) => ctx.onEvent?.({ kind: 'progress', stage, task, total, progress }),
    log: (line) => ctx.onEvent?.({ kind: 'log', line: `${task}: ${line}` }),
  });
  const result: StageRequestsResult = { stage, task, total, progress: summary.progress, status: summary.status };
  ctx.onEvent?.({ kind: 'task-end', ...result });
  if (summary.reason) ctx.onEvent?.({ kind: 'log', line: `${task}: paused: ${summary.reason}` });
  return result;
}

/** A request given up on, as the record status reports. */
export function failureRecord(ctx: StageContext, endpoint: FailureRecord['endpoint'], targets: string[], err: EndpointError): FailureRecord {
  return { kind: 'failure', endpoint, targets, url: err.url, status: err.status, message: err.message, at: isoNow(ctx) };
}
