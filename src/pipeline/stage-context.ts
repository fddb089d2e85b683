import type { RetryOptions } from './engine/retry-policy';
import type { Clients } from './clients';
import type { PipelineListener, StageName, TaskName, TaskStatus } from './pipeline-events';
import type { RunStore } from './run-store';
import type { Progress } from './engine/progress';
import { sharedGradePool, type GradePool } from './grading/grade-pool';

/** Everything a stage needs to run: the open project, the clients and the caller's hooks. */
export interface StageContext {
  store: RunStore;
  clients: Clients;
  /** Stops new requests; those in flight finish and are written. */
  signal?: AbortSignal;
  /** Fired after `signal`: cuts the requests in flight too (replies already received are written). */
  cut?: AbortSignal;
  onEvent?: PipelineListener;
  /** Retry timing (tests shorten it). */
  retry?: Partial<RetryOptions>;
  /** ISO time for records; tests may fix it. */
  now?: () => string;
  /** Where responses are graded; default the process's shared pool of grading threads. */
  grading?: GradePool;
}

export interface StageRequestsResult {
  stage: StageName;
  task: TaskName;
  total: number;
  progress: Progress;
  status: TaskStatus;
}

export const isoNow = (ctx: StageContext): string => (ctx.now ? ctx.now() : new Date().toISOString());

/** The context's grading threads, else the process's shared pool. */
export const gradingOf = (ctx: StageContext): GradePool => ctx.grading ?? sharedGradePool();
