import type { Progress } from './engine/progress';

export type StageName = 'rde' | 'resample' | 'pairs';
/** The tasks inside a stage (a "step" is only ever a reasoning step): buying responses, grading them, PRM and reward scoring. */
export type TaskName = 'sample' | 'grade' | 'prm' | 'reward';

/** What the pipeline reports while it runs; the CLI prints it, the extension shows it. */
export type PipelineEvent =
  | { kind: 'task-start'; stage: StageName; task: TaskName; total: number }
  | { kind: 'progress'; stage: StageName; task: TaskName; total: number; progress: Progress }
  | { kind: 'task-end'; stage: StageName; task: TaskName; total: number; progress: Progress; status: TaskStatus }
  | { kind: 'log'; line: string };

export type TaskStatus = 'completed' | 'cancelled' | 'paused';

export type PipelineListener = (event: PipelineEvent) => void;
