import { open, readFile, stat } from 'node:fs/promises';
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../atomic-write';

/**
 * A checkpoint of what opening a project folder reads from its large logs (problems,
 * responses without their texts, grades and scores, failures), valid up to recorded byte
 * offsets. Opening takes it, then reads only the bytes after them. It is never needed for
 * correctness: a checkpoint that is missing, of another version, damaged or stale (a log
 * shorter than it covers, or whose bytes around the covered end changed) is ignored, and
 * the logs are read whole (and any damage is reported as without it). Curator events are not in it: they are small and always read whole.
 */
export const CHECKPOINT_FILE = 'index.hsstar';

/** Bumped whenever the content's shape changes: other versions are ignored. */
export const CHECKPOINT_VERSION = 3;
const MAGIC = Buffer.from('HSSTARIX');
/** Bytes hashed on each side of a covered log's end (and at its start). */
const EDGE = 4096;

/** Where reading a log stopped: the next byte and the number of lines before it. */
export interface LogPosition {
  offset: number;
  line: number;
}

/** A log as the checkpoint saw it: its covered length, and hashes of its first and last covered bytes. */
export interface LogFingerprint extends LogPosition {
  head: string;
  tail: string;
}

export interface Checkpoint<T> {
  logs: Record<string, LogFingerprint>;
  data: T;
}

/** Fingerprint of the first `position.offset` bytes of a log. */
export async function fingerprint(path: string, position: LogPosition): Promise<LogFingerprint> {
  const { offset } = position;
  const fh = await open(path, 'r');
  try {
    const read = async (from: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, from);
      return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
    };
    return { ...position, head: await read(0, Math.min(EDGE, offset)), tail: await read(Math.max(0, offset - EDGE), Math.min(EDGE, offset)) };
  } finally {
    await fh.close();
  }
}

/** Whether `path` still starts with the bytes the fingerprint saw (it may have grown since). */
async function stillCovers(path: string, f: LogFingerprint, exact: boolean): Promise<boolean> {
  try {
    const size = (await stat(path)).size;
    if (size < f.offset || (exact && size !== f.offset)) return false;
    const now = await fingerprint(path, f);
    return now.head === f.head && now.tail === f.tail;
  } catch {
    return false;
  }
}

/** The version in a checkpoint file's header; null when there is no file or it is not a checkpoint. */
export function checkpointVersionOf(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, header, 0, header.length, 0) < header.length || !header.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    return header.readUInt32LE(MAGIC.length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a checkpoint atomically: magic, version, CRC-32 and length of the payload, then
 * the payload (V8's serialisation: fast to read back, no parsing of JSON).
 */
export async function writeCheckpoint<T>(path: string, checkpoint: Checkpoint<T>): Promise<void> {
  const payload = serialize(checkpoint);
  if (payload.length > 0xffffffff) throw new Error('checkpoint too large for its header');
  const header = Buffer.alloc(MAGIC.length + 12);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(CHECKPOINT_VERSION, MAGIC.length);
  header.writeUInt32LE(crc32(payload), MAGIC.length + 4);
  header.writeUInt32LE(payload.length, MAGIC.length + 8);
  await writeFileAtomic(path, Buffer.concat([header, payload]));
}

/**
 * The checkpoint at `path` if it is of this version, intact, and every log it names
 * (paths under `dir` by name) still holds the bytes it covers; else null, with the reason.
 */
export async function readCheckpoint<T>(
  path: string,
  logPath: (name: string) => string,
  /** Whether the payload's data has the expected shape (else it is damaged). */
  isData: (data: unknown) => data is T,
  /** Files written once that must not have grown (any byte added is damage the full read reports). */
  fixed: readonly string[] = [],
): Promise<{ checkpoint: Checkpoint<T> } | { ignored: string }> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    return { ignored: 'none' };
  }
  const h = MAGIC.length;
  if (buf.length < h + 12 || !buf.subarray(0, h).equals(MAGIC)) return { ignored: 'not a checkpoint' };
  const version = buf.readUInt32LE(h);
  if (version !== CHECKPOINT_VERSION) return { ignored: `version ${version}, this one reads ${CHECKPOINT_VERSION}` };
  const payload = buf.subarray(h + 12);
  if (payload.length !== buf.readUInt32LE(h + 8) || crc32(payload) !== buf.readUInt32LE(h + 4)) return { ignored: 'damaged' };
  let checkpoint: Checkpoint<T>;
  try {
    checkpoint = deserialize(payload) as Checkpoint<T>;
  } catch {
    return { ignored: 'damaged' };
  }
  if (typeof checkpoint !== 'object' || checkpoint === null || typeof checkpoint.logs !== 'object' || checkpoint.logs === null || !isData(checkpoint.data)) {
    return { ignored: 'damaged' };
  }
  for (const [name, f] of Object.entries(checkpoint.logs)) {
    if (!(await stillCovers(logPath(name), f, fixed.includes(name)))) return { ignored: `stale: ${name} changed` };
  }
  return { checkpoint };
}
