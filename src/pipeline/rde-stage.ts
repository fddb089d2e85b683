import { gradeMissing } from './grade-missing';
import { missingSlotJobs, sampleSlots } from './sample-slots';
import { scoreWithPrm, scoreWithReward } from './score-responses';
import { gradingOf, type StageContext, type StageRequestsResult } from './stage-context';

/**
 * Stage 1 (RDE): every problem's pre-samples (slots < n_p) bought, graded, PRM-scored and,
 * when a reward model is set, reward-scored. Labels follow from the logs; nothing else is stored.
 */
export async function runRdeStage(ctx: StageContext): Promise<StageRequestsResult[]> {
  const settings = ctx.store.settings;
  const jobs = missingSlotJobs(
    ctx.store.problems(),
    (id) => ctx.store.responseMetaOf(id),
    () => settings.budget.presample,
    settings.policy.nPerRequest,
  );
  return sampleAndScore(ctx, 'rde', jobs);
}

export async function sampleAndScore(
  ctx: StageContext,
  stage: 'rde' | 'resample',
  jobs: Parameters<typeof sampleSlots>[2],
): Promise<StageRequestsResult[]> {
  const results: StageRequestsResult[] = [];
  const sampled = await sampleSlots(ctx, stage, jobs);
  results.push(sampled);
  // Grades are written with each reply; this catches responses from an older grader version.
  await gradeMissing(ctx.store, gradingOf(ctx));
  if (ctx.signal?.aborted || sampled.status === 'paused') return results;
  const prm = await scoreWithPrm(ctx, stage);
  if (prm) results.push(prm);
  if (ctx.signal?.aborted || prm?.status === 'paused') return results;
  const reward = await scoreWithReward(ctx, stage);
  if (reward) results.push(reward);
  return results;
}
