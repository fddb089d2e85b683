import type { Problem, Response } from '../core/schema/index';
import { responseId } from '../core/schema/index';
import { sampleResponses } from './engine/sample-responses';
import { failureRecord, reportStageRequests } from './stage-requests';
import { gradingOf, isoNow, type StageContext, type StageRequestsResult } from './stage-context';
import type { StageName } from './pipeline-events';

/** One request's worth of missing slots of one problem. */
export interface SampleJob {
  problem: Problem;
  slots: number[];
}

/**
 * The slots each problem still lacks to reach its target, cut into requests of at most
 * `perRequest` samples. Slots already on disk are never bought again.
 */
export function missingSlotJobs(
  problems: readonly Problem[],
  have: (problemId: string) => readonly Pick<Response, 'slot'>[],
  target: (problemId: string) => number,
  perRequest: number,
): SampleJob[] {
  const jobs: SampleJob[] = [];
  for (const problem of problems) {
    const want = target(problem.id);
    const taken = new Set(have(problem.id).map((r) => r.slot));
    const missing: number[] = [];
    for (let slot = 0; slot < want; slot++) if (!taken.has(slot)) missing.push(slot);
    for (let i = 0; i < missing.length; i += perRequest) jobs.push({ problem, slots: missing.slice(i, i + perRequest) });
  }
  return jobs;
}

/**
 * Buys the responses of `jobs` from the policy through the one sampling path. Each reply
 * is written (responses, then their grades, graded off the event loop) before it counts;
 * a short reply leaves its remaining slots queued.
 */
export async function sampleSlots(ctx: StageContext, stage: StageName, jobs: SampleJob[]): Promise<StageRequestsResult> {
  const settings = ctx.store.settings;
  const total = jobs.reduce((a, j) => a + j.slots.length, 0);
  if (ctx.clients.policy.length === 0) throw new Error('no policy endpoint');
  const grading = gradingOf(ctx);
  return reportStageRequests(ctx, stage, 'sample', total, (hooks) =>
    sampleResponses<SampleJob>({
      ...hooks,
      samplers: ctx.clients.policy,
      work: jobs,
      nPerRequest: settings.policy.nPerRequest,
      concurrency: settings.concurrency.policy,
      presample: settings.budget.presample,
      round: settings.round.index,
      prices: settings.prices,
      now: () => isoNow(ctx),
      onResponses: async (responses, job) => {
        await ctx.store.appendResponses(responses);
        const grades = await grading.grade(responses.map((response) => ({ problem: job.problem, response })));
        await ctx.store.appendScores(grades);
      },
      onFailure: async (job, err) => {
        await ctx.store.appendScores([failureRecord(ctx, 'policy', job.slots.map((s) => responseId(job.problem.id, s)), err)]);
      },
    }),
  );
}
