import { z } from 'zod';

/**
 * One line of a decisions file for `hsstar label --from FILE.jsonl`: a label decision made
 * in another tool. Other fields are ignored; `author` and `at` default to the command's.
 */
export const ImportedDecision = z.object({
  problemId: z.string().min(1),
  label: z.enum(['inlier', 'boundary', 'outlier']),
  reason: z.string().trim().min(1),
  author: z.string().trim().min(1).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type ImportedDecision = z.infer<typeof ImportedDecision>;
