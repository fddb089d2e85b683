import { join } from 'node:path';
import { UserError } from '../core/errors';
import { FORMAT_VERSION, RunSettings } from '../core/schema/settings';
import { readBounded, writeFileAtomic } from './folder/index';
import { schemaIssues } from './log/schema-issues';
import { PROJECT_FILES } from './project-files';

/** A run's settings are a few kilobytes; a larger hsstar.json is refused rather than read. */
const SETTINGS_MAX_BYTES = 1 << 20;

/** The settings snapshot of the run folder `dir` (hsstar.json), checked; every failure names the file. */
export async function readSettingsFile(dir: string): Promise<RunSettings> {
  const settingsPath = join(dir, PROJECT_FILES.settings);
  let bytes: Buffer | undefined;
  try {
    bytes = await readBounded(settingsPath, { maxBytes: SETTINGS_MAX_BYTES });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(String(err), dir);
  }
  if (bytes === undefined) throw new UserError(`not a project folder (no ${PROJECT_FILES.settings}); create one with hsstar init`, dir);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UserError(`not valid JSON: ${(err as Error).message}`, settingsPath);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new UserError(`written by a newer version (format ${version}; this one reads ${FORMAT_VERSION})`, settingsPath);
  }
  const parsed = RunSettings.safeParse(raw);
  if (!parsed.success) throw new UserError(`invalid settings: ${schemaIssues(parsed.error)}`, settingsPath);
  return parsed.data;
}

/** Replaces the settings snapshot atomically; returns the settings as checked and written. */
export async function writeSettingsFile(dir: string, settings: RunSettings): Promise<RunSettings> {
  const checked = RunSettings.parse(settings);
  await writeFileAtomic(join(dir, PROJECT_FILES.settings), JSON.stringify(checked, null, 2) + '\n');
  return checked;
}
