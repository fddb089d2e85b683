import type { RunState } from '../core/state/run-state';
import { stateOf } from './derive-from-store';
import { gradeMissing } from './grade-missing';
import { runRdeStage } from './rde-stage';
import { runResampleStage } from './resample-stage';
import { gradingOf, type StageContext, type StageRequestsResult } from './stage-context';

export type StageChoice = 'rde' | 'resample' | 'pairs' | 'all';

export interface PipelineResult {
  /** completed: every chosen stage ran to its end; cancelled/paused: stopped early, run again to continue. */
  status: 'completed' | 'cancelled' | 'paused';
  steps: StageRequestsResult[];
  /** Requests given up on in this run (their slots stay missing; a new run retries them). */
  failed: number;
  state: RunState;
}

/**
 * Runs the chosen stages in order. Every stage buys only what is missing, so running again
 * after a cancel, a crash or a pause continues where it stopped. Pairs (stage 3) are
 * derived from the logs: the `pairs` stage has nothing to buy and only reports them.
 */
export async function runPipeline(ctx: StageContext, stage: StageChoice = 'all'): Promise<PipelineResult> {
  const steps: StageRequestsResult[] = [];
  const stopped = () => ctx.signal?.aborted === true || steps.some((s) => s.status !== 'completed');
  if (stage === 'rde' || stage === 'all') steps.push(...(await runRdeStage(ctx)));
  if ((stage === 'resample' || stage === 'all') && !stopped()) steps.push(...(await runResampleStage(ctx)));
  // Pairs need current grades: responses graded by an older grader version are graded again.
  if (stage === 'pairs') await gradeMissing(ctx.store, gradingOf(ctx));
  const paused = steps.some((s) => s.status === 'paused');
  const status = ctx.signal?.aborted ? 'cancelled' : paused ? 'paused' : 'completed';
  return { status, steps, failed: steps.reduce((a, s) => a + s.progress.failed, 0), state: stateOf(ctx.store) };
}
