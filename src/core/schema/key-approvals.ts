import { z } from 'zod';

/** One approval: this machine's user agreed that the key in `keyEnv` may be sent to `url`. */
export const KeyApproval = z.object({
  keyEnv: z.string().min(1),
  /** Canonical form (see `canonicalUrl`), so `http://h/v1/` and `http://h/v1` are one approval. */
  url: z.string().min(1),
  approvedAt: z.string(),
});
export type KeyApproval = z.infer<typeof KeyApproval>;

/** The user's approvals file, kept in their own config folder, never in a run folder. */
export const KeyApprovalsFile = z.object({ version: z.literal(1), approvals: z.array(KeyApproval) });
export type KeyApprovalsFile = z.infer<typeof KeyApprovalsFile>;
