import { z } from 'zod';

/** One DPO preference pair: a correct response preferred over an incorrect one. */
export const Pair = z.object({
  problemId: z.string().min(1),
  chosenId: z.string().min(1),
  rejectedId: z.string().min(1),
  /** Ranking scores at the time the pair was built (S(r) or reward-model score). */
  chosenScore: z.number().nullable(),
  rejectedScore: z.number().nullable(),
  origin: z.enum(['auto', 'curator']),
  pinned: z.boolean().default(false),
});
export type Pair = z.infer<typeof Pair>;

export function pairKey(p: Pick<Pair, 'chosenId' | 'rejectedId'>): string {
  return `${p.chosenId}>${p.rejectedId}`;
}
