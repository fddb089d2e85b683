import { z } from 'zod';

const UnitScore = z.number().min(0).max(1);

/** PRM output for one response: one score per step; S(r) = min of them. */
export const StepScores = z.object({
  responseId: z.string().min(1),
  scores: z.array(UnitScore),
  model: z.string(),
});
export type StepScores = z.infer<typeof StepScores>;

/** Outcome / preference reward model output: one score per response. */
export const RewardScore = z.object({
  responseId: z.string().min(1),
  score: z.number().finite(),
  model: z.string(),
});
export type RewardScore = z.infer<typeof RewardScore>;
