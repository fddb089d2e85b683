import { randomBytes } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../core/errors';
import { configDir } from '../config-dir';
import { besideName, createExclusive, entryStat, linkIfAbsent, readBounded, removeEntry } from '../folder/index';

/**
 * The key that signs this user's checkpoints (HMAC-SHA256, checkpoint.ts). A checkpoint is
 * trusted only with a MAC made with it, so one written on another machine, by another user,
 * or forged by whoever sent a run folder (who can recompute any checksum) is ignored. It
 * lives in the user's config folder (configDir), never in a run folder, and only the user
 * can read it.
 */
export const CHECKPOINT_KEY_FILE = 'checkpoint.key';

const KEY_BYTES = 32;

/** The key, or why there is none (the checkpoint is then neither written nor trusted). */
export type CheckpointKey = { key: Buffer } | { unavailable: string };

/** Read once per process and file: opening reads it on every open. */
const known = new Map<string, Buffer>();

/** More than a key file of this module ever holds. */
const KEY_FILE_MAX_BYTES = 1024;

/**
 * The key in the user's config folder, made on first use (random, mode 0600, in a folder of
 * mode 0700). The config folder may be a link of the user's; the key file is never reached
 * through one (src/store/folder/), so a planted link cannot make it another file.
 */
export async function checkpointKey(env: NodeJS.ProcessEnv = process.env): Promise<CheckpointKey> {
  const dir = configDir(env);
  const file = join(dir, CHECKPOINT_KEY_FILE);
  const cached = known.get(file);
  if (cached) return { key: cached };
  try {
    const key = (await readKey(file)) ?? (await createKey(dir, file));
    known.set(file, key);
    return { key };
  } catch (err) {
    return { unavailable: err instanceof KeyFileError || err instanceof UserError ? err.message : `${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

class KeyFileError extends Error {}

/** The key on file; null when there is none. A key others could read, or not one this module wrote, is refused. */
async function readKey(file: string): Promise<Buffer | null> {
  const bytes = await readBounded(file, { maxBytes: KEY_FILE_MAX_BYTES });
  if (bytes === undefined) return null;
  // Group and other bits mean nothing on Windows; elsewhere anyone who can read the key can forge a checkpoint.
  const mode = (await entryStat(file))?.mode ?? 0;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) throw new KeyFileError(`${file}: readable by other users; make it private (chmod 600) or delete it`);
  const hex = bytes.toString('utf8').trim();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== KEY_BYTES * 2) throw new KeyFileError(`${file}: not a checkpoint key; delete it and a new one is made`);
  return Buffer.from(hex, 'hex');
}

/** Writes a new key to a file of its own and links it into place, so no reader sees it half written; another process's key that got there first wins. */
async function createKey(dir: string, file: string): Promise<Buffer> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const tmp = besideName(file);
  await createExclusive(tmp, key.toString('hex') + '\n', { mode: 0o600, flush: true });
  try {
    if (await linkIfAbsent(tmp, file)) return key;
    const theirs = await readKey(file);
    if (!theirs) throw new KeyFileError(`${file}: vanished while being made`);
    return theirs;
  } finally {
    await removeEntry(tmp);
  }
}

/** Where a checkpoint was written: it is trusted only on the same machine, for the same folder. */
export interface CheckpointOrigin {
  host: string;
  dir: string;
}

/** What a checkpoint must carry to be trusted here: a MAC with this key, and this origin. */
export interface CheckpointTrust {
  key: Buffer;
  origin: CheckpointOrigin;
}

/** The trust for the run folder `dir` (its real path, so two names of one folder agree), or why there is none. */
export async function checkpointTrust(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckpointTrust | { unavailable: string }> {
  const k = await checkpointKey(env);
  if ('unavailable' in k) return k;
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    return { unavailable: `${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  return { key: k.key, origin: { host: hostname(), dir: real } };
}
