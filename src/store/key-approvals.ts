import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors';
import { canonicalUrl, type KeyDestination } from '../core/key-destinations';
import { KeyApprovalsFile, type KeyApproval } from '../core/schema/key-approvals';
import { writeFileAtomic } from './folder/index';
import { readJsonFile } from './json-file';
import { configDir } from './config-dir';

/**
 * The user's approvals of where keys may go, outside every run folder: `approved-keys.json`
 * in the user's config folder (configDir).
 */
export function approvalsFile(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'approved-keys.json');
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

/** Adds approvals for `destinations` (kept once each), readable by the user only. */
export async function approveKeyDestinations(env: NodeJS.ProcessEnv, destinations: readonly KeyDestination[], at = new Date().toISOString()): Promise<string> {
  const file = approvalsFile(env);
  const approvals = readKeyApprovals(env);
  const known = new Set(approvals.map((a) => `${a.keyEnv}\n${canonicalUrl(a.url)}`));
  for (const d of destinations) {
    const key = `${d.keyEnv}\n${d.url}`;
    if (known.has(key)) continue;
    known.add(key);
    approvals.push({ keyEnv: d.keyEnv, url: d.url, approvedAt: at });
  }
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify({ version: 1, approvals } satisfies KeyApprovalsFile, null, 2) + '\n', { mode: 0o600 });
  return file;
}
