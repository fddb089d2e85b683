import { z } from 'zod';

/** A human rating of one step, as PRM800K rated them: +1 correct and useful, 0 neutral (not wrong), −1 wrong. */
export const StepRatingValue = z.union([z.literal(1), z.literal(0), z.literal(-1)]);
export type StepRatingValue = z.infer<typeof StepRatingValue>;

/**
 * One step's label as a curator set it: it replaces whatever that step had. A null rating
 * clears it; `unsure` marks a step the curator could not judge (it counts as unrated).
 */
export const StepLabelEntry = z.object({
  step: z.number().int().nonnegative(),
  rating: StepRatingValue.nullable(),
  note: z.string().max(2_000).default(''),
  unsure: z.boolean().default(false),
});
export type StepLabelEntry = z.infer<typeof StepLabelEntry>;
