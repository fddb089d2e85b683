import type { Progress } from './engine/progress';

export type StageName = 'rde' | 'resample' | 'pairs';
/** The steps inside a stage: buying responses, grading them, PRM and reward scoring. */
export type StepName = 'sample' | 'grade' | 'prm' | 'reward';

/** What the pipeline reports while it runs; the CLI prints it, the extension shows it. */
export type PipelineEvent =
  | { kind: 'step-start'; stage: StageName; step: StepName; total: number }
  | { kind: 'progress'; stage: StageName; step: StepName; total: number; progress: Progress }
  | { kind: 'step-end'; stage: StageName; step: StepName; total: number; progress: Progress; status: StepStatus }
  | { kind: 'log'; line: string };

export type StepStatus = 'completed' | 'cancelled' | 'paused';

export type PipelineListener = (event: PipelineEvent) => void;
