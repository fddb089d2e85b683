import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { configDir } from '../config-dir';

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

/** The key in the user's config folder, made on first use (random, mode 0600, in a folder of mode 0700). */
export function checkpointKey(env: NodeJS.ProcessEnv = process.env): CheckpointKey {
  const dir = configDir(env);
  const file = join(dir, CHECKPOINT_KEY_FILE);
  const cached = known.get(file);
  if (cached) return { key: cached };
  try {
    const key = readKey(file) ?? createKey(dir, file);
    known.set(file, key);
    return { key };
  } catch (err) {
    return { unavailable: err instanceof KeyFileError ? err.message : `${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

class KeyFileError extends Error {}

/** The key on file; null when there is none. A key others could read, or not one this module wrote, is refused. */
function readKey(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // Group and other bits mean nothing on Windows; elsewhere anyone who can read the key can forge a checkpoint.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) throw new KeyFileError(`${file}: readable by other users; make it private (chmod 600) or delete it`);
  const hex = text.trim();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== KEY_BYTES * 2) throw new KeyFileError(`${file}: not a checkpoint key; delete it and a new one is made`);
  return Buffer.from(hex, 'hex');
}

/** Writes a new key aside and links it into place, so no reader sees it half written; another process's key that got there first wins. */
function createKey(dir: string, file: string): Buffer {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const tmp = `${file}.${process.pid}.${hostname()}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('hex') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = readKey(file);
    if (!theirs) throw err;
    return theirs;
  } finally {
    unlinkSync(tmp);
  }
  return key;
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
export function checkpointTrust(dir: string, env: NodeJS.ProcessEnv = process.env): CheckpointTrust | { unavailable: string } {
  const k = checkpointKey(env);
  if ('unavailable' in k) return k;
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (err) {
    return { unavailable: `${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  return { key: k.key, origin: { host: hostname(), dir: real } };
}
