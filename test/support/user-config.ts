import type { RunSettings } from '../../src/core/schema/index';
import { createClients, type Clients } from '../../src/pipeline/clients';
import { approveRunEndpoints } from '../../src/store/key-approvals';
import './isolated-config';

/**
 * The config folder of this test run (HSSTAR_CONFIG_DIR, set once by isolated-config.ts and
 * inherited by every CLI process a test starts), never the user's: the endpoint approvals a
 * test writes in-process are the ones its child processes read.
 */
export function testConfigEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HSSTAR_CONFIG_DIR: process.env.HSSTAR_CONFIG_DIR!, ...extra };
}

/** Clients for a run the test created itself: its endpoints approved as `hsstar init` approves them. */
export async function approvedClients(settings: RunSettings, env: NodeJS.ProcessEnv = testConfigEnv(), extras: { timeoutMs?: number } = {}): Promise<Clients> {
  await approveRunEndpoints(env, settings);
  return createClients(settings, env, extras);
}
