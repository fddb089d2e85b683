import { z } from 'zod';

/**
 * One approval: this machine's user agreed that requests may be sent to `url`, with the key
 * in `keyEnv`, or with no key when `keyEnv` is absent.
 */
export const KeyApproval = z.object({
  keyEnv: z.string().min(1).optional(),
  /** Canonical form (see `canonicalUrl`), so `http://h/v1/` and `http://h/v1` are one approval. */
  url: z.string().min(1),
  approvedAt: z.string(),
});
export type KeyApproval = z.infer<typeof KeyApproval>;

/** The user's approvals file, kept in their own config folder, never in a run folder. */
export const KeyApprovalsFile = z.object({ version: z.literal(1), approvals: z.array(KeyApproval) });
export type KeyApprovalsFile = z.infer<typeof KeyApprovalsFile>;
