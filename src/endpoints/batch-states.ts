import { z } from 'zod';

/**
 * The batch states the OpenAI Batch API reports; the last four are final. Apart from the
 * client (batch-api.ts), so that code reading them does not load the client.
 */
export const BatchState = z.enum(['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']);
export type BatchState = z.infer<typeof BatchState>;
export const FINAL_BATCH_STATES: readonly BatchState[] = ['completed', 'failed', 'expired', 'cancelled'];
