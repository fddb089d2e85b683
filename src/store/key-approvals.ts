import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { UserError } from '../core/errors';
import { approvalKey, endpointDestinations, type EndpointDestination } from '../core/key-destinations';
import type { RunSettings } from '../core/schema/settings';
import { KeyApprovalsFile, type KeyApproval } from '../core/schema/key-approvals';
import { writeFileAtomic } from './folder/index';
import { readJsonFile } from './json-file';
import { configDir } from './config-dir';

/**
 * The user's approvals of where a run's requests (and keys) may go, outside every run
 * folder: `approved-keys.json` in the user's config folder (configDir). Under node's test
 * runner (NODE_TEST_CONTEXT set, here or in `env`) a folder inside the user's home is
 * refused: a test names a temporary one, never the user's own approvals.
 */
export function approvalsFile(env: NodeJS.ProcessEnv): string {
  const dir = configDir(env);
  if (!env.HSSTAR_CONFIG_DIR && (env.NODE_TEST_CONTEXT || process.env.NODE_TEST_CONTEXT) && !relative(homedir(), dir).startsWith('..')) {
    throw new UserError(`a test must set its own config folder, not ${dir}: the user's approvals are not for tests`, 'HSSTAR_CONFIG_DIR');
  }
  return join(dir, 'approved-keys.json');
}

/** The approvals on file (none if there is no file); a damaged file is an error naming it. */
export function readKeyApprovals(env: NodeJS.ProcessEnv): KeyApproval[] {
  const file = approvalsFile(env);
  const raw = readJsonFile(file, { follow: true });
  if (raw === undefined) return [];
  const parsed = KeyApprovalsFile.safeParse(raw);
  if (!parsed.success) throw new UserError(`not an approvals file: ${parsed.error.issues[0]?.message ?? ''}`, file);
  return parsed.data.approvals;
}

/** Adds approvals for `destinations` (kept once each), readable by the user only; returns the file. */
export async function approveEndpoints(env: NodeJS.ProcessEnv, destinations: readonly EndpointDestination[], at = new Date().toISOString()): Promise<string> {
  const file = approvalsFile(env);
  const approvals = readKeyApprovals(env);
  const known = new Set(approvals.map(approvalKey));
  const before = approvals.length;
  for (const d of destinations) {
    const key = approvalKey(d);
    if (known.has(key)) continue;
    known.add(key);
    approvals.push({ ...(d.keyEnv ? { keyEnv: d.keyEnv } : {}), url: d.url, approvedAt: at });
  }
  if (approvals.length === before) return file;
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify({ version: 1, approvals } satisfies KeyApprovalsFile, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/**
 * Approves the endpoints of a run this machine's user is creating here (init, demo, New
 * Run): they typed or chose these URLs, so the run can go on without a separate approval.
 */
export function approveRunEndpoints(env: NodeJS.ProcessEnv, settings: RunSettings): Promise<string> {
  return approveEndpoints(env, endpointDestinations(settings));
}
