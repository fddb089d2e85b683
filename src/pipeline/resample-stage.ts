import { stateOf } from './derive-from-store';
import { sampleAndScore } from './rde-stage';
import { missingSlotJobs } from './sample-slots';
import type { StageContext, StageRequestsResult } from './stage-context';

/**
 * Stage 2: the plan's missing slots for the Boundary problems (effective labels, so curator
 * overrides count). Labels come from pre-samples only, so buying re-samples never moves the plan.
 */
export async function runResampleStage(ctx: StageContext): Promise<StageRequestsResult[]> {
  const state = stateOf(ctx.store);
  const settings = state.settings;
  const boundary = new Set(state.budget.plan.boundary);
  const problems = state.problems.filter((p) => boundary.has(p.problem.id)).map((p) => p.problem);
  const jobs = missingSlotJobs(
    problems,
    (id) => ctx.store.responseMetaOf(id),
    (id) => state.budget.plan.targets.get(id) ?? settings.budget.presample,
    settings.policy.nPerRequest,
  );
  return sampleAndScore(ctx, 'resample', jobs);
}
