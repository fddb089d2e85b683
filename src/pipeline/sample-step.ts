import { responseId, type Problem, type Response } from '../core/schema/index';
import type { PolicySampler, SampleBatch } from '../endpoints/policy-sampler';
import { gradeRecord } from './grade-step';
import { responseOf } from './engine/sample-responses';
import { failureRecord, runStep } from './run-step';
import { isoNow, type StageContext, type StepResult } from './stage-context';
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
 * Buys the responses of `jobs` from the policy. Each reply is written (responses, then
 * their grades) before it counts; a short reply leaves its remaining slots queued.
 */
export async function sampleSlots(ctx: StageContext, stage: StageName, jobs: SampleJob[]): Promise<StepResult> {
  const settings = ctx.store.settings;
  const presample = settings.budget.presample;
  const total = jobs.reduce((a, j) => a + j.slots.length, 0);
  if (ctx.clients.policy.length === 0) throw new Error('no policy endpoint');
  return runStep<SampleJob, PolicySampler, SampleBatch>(ctx, stage, 'sample', total, {
    jobs,
    replicas: ctx.clients.policy,
    concurrency: settings.concurrency.policy,
    prices: settings.prices,
    call: (job, sampler, signal) => sampler.sample(job.problem.question, job.slots.length, signal, { problemId: job.problem.id, firstSlot: job.slots[0]! }),
    onResult: async (job, batch) => {
      const at = isoNow(ctx);
      const responses: Response[] = batch.samples.slice(0, job.slots.length).map((s, i) => {
        const slot = job.slots[i]!;
        return responseOf(s, { problemId: job.problem.id, slot, stage: slot < presample ? 'pre' : 're', at, round: settings.round.index });
      });
      await ctx.store.appendResponses(responses);
      await ctx.store.appendScores(responses.map((r) => gradeRecord(job.problem, r)));
    },
    remainder: (job, batch) => (batch.samples.length < job.slots.length ? { problem: job.problem, slots: job.slots.slice(batch.samples.length) } : undefined),
    measure: (batch) => ({ units: batch.samples.length, usage: batch.usage }),
    unitsOf: (job) => job.slots.length,
    onFailure: async (job, err) => {
      await ctx.store.appendScores([failureRecord(ctx, 'policy', job.slots.map((s) => responseId(job.problem.id, s)), err)]);
    },
  });
}
