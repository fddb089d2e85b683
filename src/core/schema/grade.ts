import { z } from 'zod';

/** How the final answer was found in a response. */
export const ExtractionMethod = z.enum(['box', 'phrase', 'last-number', 'none']);
export type ExtractionMethod = z.infer<typeof ExtractionMethod>;

/** V(x, r) for one response, with what was extracted so the curator can see why. */
export const Grade = z.object({
  responseId: z.string().min(1),
  extracted: z.string().nullable(),
  method: ExtractionMethod,
  correct: z.boolean(),
  /** Grader version: grades from another version are recomputed, not trusted. */
  grader: z.string(),
});
export type Grade = z.infer<typeof Grade>;
