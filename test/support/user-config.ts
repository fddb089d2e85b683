import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSettings } from '../../src/core/schema/index';
import { createClients, type Clients } from '../../src/pipeline/clients';
import { approveRunEndpoints } from '../../src/store/key-approvals';

/**
 * A config folder of this test process's own (HSSTAR_CONFIG_DIR), never the user's: the
 * endpoint approvals a test writes or reads live there, and go when the process exits.
 */
const dir = mkdtempSync(join(tmpdir(), 'hsstar-test-config-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** An environment whose approvals are in this process's test config folder, with `extra` variables. */
export function testConfigEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HSSTAR_CONFIG_DIR: dir, ...extra };
}

/** Clients for a run the test created itself: its endpoints approved as `hsstar init` approves them. */
export async function approvedClients(settings: RunSettings, env: NodeJS.ProcessEnv = testConfigEnv(), extras: { timeoutMs?: number } = {}): Promise<Clients> {
  await approveRunEndpoints(env, settings);
  return createClients(settings, env, extras);
}
