import { z } from 'zod';

/** Who reviews what (`hsstar assign`): the run folder's `assignments.json`, shared like the events. */
export const Assignments = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  overlap: z.number().int().min(1),
  annotators: z.array(z.string().min(1)).min(1),
  at: z.string(),
  /** In review order: each problem with the annotators who review it. */
  items: z.array(z.object({ problemId: z.string().min(1), annotators: z.array(z.string().min(1)).min(1) })),
});
export type Assignments = z.infer<typeof Assignments>;
export type AssignmentItem = Assignments['items'][number];
