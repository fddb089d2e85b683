import type { Problem, Response } from '../core/schema/index';
import { splitSteps } from '../core/steps';
import type { PrmClient } from '../endpoints/prm-client';
import type { RewardClient } from '../endpoints/reward-client';
import { failureRecord, runStageRequests } from './stage-requests';
import type { StageContext, StageRequestsResult } from './stage-context';
import type { StageName } from './pipeline-events';

interface ScoreJob {
  problem: Problem;
  response: Response;
}

function unscored(ctx: StageContext, has: (rid: string) => boolean): ScoreJob[] {
  const jobs: ScoreJob[] = [];
  for (const problem of ctx.store.problems()) {
    // Texts are read only for problems that have something left to score.
    if (ctx.store.responseMetaOf(problem.id).every((m) => has(m.id))) continue;
    for (const response of ctx.store.responsesOf(problem.id)) if (!has(response.id)) jobs.push({ problem, response });
  }
  return jobs;
}

/** PRM step scores for every response that has none yet. */
export async function scoreWithPrm(ctx: StageContext, stage: StageName): Promise<StageRequestsResult | null> {
  if (ctx.clients.prm.length === 0) return null;
  const settings = ctx.store.settings;
  const separator = settings.stepSeparator;
  const jobs = unscored(ctx, (rid) => ctx.store.prm(rid) !== undefined);
  // A response with no step at all (empty text) has nothing to score: S(r) stays unknown.
  const empty = jobs.filter((j) => splitSteps(j.response.text, separator).length === 0);
  if (empty.length > 0) await ctx.store.appendScores(empty.map((j) => ({ kind: 'prm' as const, responseId: j.response.id, scores: [], model: ctx.clients.prm[0]!.model })));
  const skip = new Set(empty);
  const work = jobs.filter((j) => !skip.has(j));
  return runStageRequests<ScoreJob, PrmClient, number[]>(ctx, stage, 'prm', work.length, {
    jobs: work,
    replicas: ctx.clients.prm,
    concurrency: settings.concurrency.prm,
    call: (job, client, signal) => client.scoreSteps(job.problem.question, splitSteps(job.response.text, separator), signal),
    onResult: async (job, scores) => {
      await ctx.store.appendScores([{ kind: 'prm', responseId: job.response.id, scores, model: ctx.clients.prm[0]!.model }]);
    },
    onFailure: async (job, err) => {
      await ctx.store.appendScores([failureRecord(ctx, 'prm', [job.response.id], err)]);
    },
  });
}

/** Outcome reward scores for every response that has none yet (only when a reward model is set). */
export async function scoreWithReward(ctx: StageContext, stage: StageName): Promise<StageRequestsResult | null> {
  if (ctx.clients.reward.length === 0) return null;
  const settings = ctx.store.settings;
  const jobs = unscored(ctx, (rid) => ctx.store.reward(rid) !== undefined);
  return runStageRequests<ScoreJob, RewardClient, number>(ctx, stage, 'reward', jobs.length, {
    jobs,
    replicas: ctx.clients.reward,
    concurrency: settings.concurrency.reward,
    call: (job, client, signal) => client.score(job.problem.question, job.response.text, signal),
    onResult: async (job, score) => {
      await ctx.store.appendScores([{ kind: 'reward', responseId: job.response.id, score, model: ctx.clients.reward[0]!.model }]);
    },
    onFailure: async (job, err) => {
      await ctx.store.appendScores([failureRecord(ctx, 'reward', [job.response.id], err)]);
    },
  });
}
