import { closeSync, readSync } from 'node:fs';
import { createHash, createHmac, timingSafeEqual, type Hmac } from 'node:crypto';
import { dirname } from 'node:path';
import { openRegular, openRegularSync, regularSize, writeFileAtomic } from '../folder/index';
import { checkpointTrust, type CheckpointOrigin, type CheckpointTrust } from './checkpoint-key';

/**
 * A checkpoint of what opening a project folder reads from its large logs (problems,
 * responses without their texts, grades and scores, failures), valid up to recorded byte
 * offsets. Opening takes it, then reads only the bytes after them. It is never needed for
 * correctness: a checkpoint that is missing, of another version, damaged or stale (a log
 * shorter than it covers, or whose bytes around the covered end changed) is ignored, and
 * the logs are read whole (and any damage is reported as without it). Curator events are not in it: they are small and always read whole.
 * It is a cache that never travels: it is trusted only when it carries a MAC made with this
 * user's key (checkpoint-key.ts) and names this machine and this folder as its origin, so a
 * checkpoint that came with a run folder (forged, or written elsewhere) is ignored, never
 * the source of a question, answer, grade or score the logs do not hold.
 */
export const CHECKPOINT_FILE = 'index.hsstar';

/** Bumped whenever the content's shape changes: other versions are ignored. */
export const CHECKPOINT_VERSION = 5;
const MAGIC = Buffer.from('HSSTARIX');
/** Bytes hashed on each side of a covered log's end (and at its start). */
const EDGE = 4096;

/** Where reading a log stopped: the next byte and the number of lines before it. */
export interface LogPosition {
  offset: number;
  line: number;
}

/**
 * A log as the checkpoint saw it: its covered length, hashes of its first and last covered
 * bytes (of all of them for a file written once), and which file it was (device and inode:
 * a log replaced by another file, as git writes a file it checks out, is another log).
 */
export interface LogFingerprint extends LogPosition {
  head: string;
  tail: string;
  file: string;
}

/**
 * The logs it covers, a JSON value, and segments of raw bytes (the columns of typed
 * arrays): each segment starts on 8 bytes of the file, and is read straight into the
 * memory its reader gives for it.
 */
export interface Checkpoint {
  logs: Record<string, LogFingerprint>;
  head: unknown;
  segments: readonly Uint8Array[];
}

const MAC_BYTES = 32;
/** Where the payload starts: magic, version, length, MAC (HMAC-SHA256 of version, length and payload). */
const HEADER = MAGIC.length + 8 + MAC_BYTES;
const onEight = (n: number) => Math.ceil(n / 8) * 8;

/** Fingerprint of the first `position.offset` bytes of a log; `whole`: hash them all (a file written once, small). */
export async function fingerprint(path: string, position: LogPosition, whole = false): Promise<LogFingerprint> {
  const { offset } = position;
  const fh = await openRegular(path, 'read');
  try {
    const read = async (from: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, from);
      return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
    };
    const { dev, ino } = await fh.stat({ bigint: true });
    return { ...position, head: await read(0, whole ? offset : Math.min(EDGE, offset)), tail: await read(Math.max(0, offset - EDGE), Math.min(EDGE, offset)), file: `${dev}:${ino}` };
  } finally {
    await fh.close();
  }
}

/** Whether `path` is still the file the fingerprint saw and starts with the bytes it saw (it may have grown since, unless `fixed`). */
async function stillCovers(path: string, f: LogFingerprint, fixed: boolean): Promise<boolean> {
  try {
    const size = await regularSize(path);
    if (size < f.offset || (fixed && size !== f.offset)) return false;
    const now = await fingerprint(path, f, fixed);
    return now.head === f.head && now.tail === f.tail && now.file === f.file;
  } catch {
    return false;
  }
}

/** The version in a checkpoint file's header; null when there is no file or it is not a checkpoint. */
export function checkpointVersionOf(path: string): number | null {
  let fd: number;
  try {
    fd = openRegularSync(path);
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

/** The MAC of a checkpoint file: over its version and length (header bytes after the magic, before the MAC), then the payload as it is read. */
function macOf(key: Buffer, header: Buffer): Hmac {
  return createHmac('sha256', key).update(header.subarray(MAGIC.length, MAGIC.length + 8));
}

/**
 * Writes a checkpoint atomically: magic, version, length of the payload and its MAC, then
 * the payload: the byte length of a JSON part ({logs, origin, head}), the JSON, then each
 * segment, each after zeros up to a multiple of 8 bytes from the file's start. Without a
 * key (the user's config folder cannot be written) nothing is written: it could not be trusted.
 */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint, given?: CheckpointTrust | { unavailable: string }): Promise<void> {
  const trust = given ?? (await checkpointTrust(dirname(path)));
  if ('unavailable' in trust) return;
  const json = Buffer.from(JSON.stringify({ logs: checkpoint.logs, origin: trust.origin, head: checkpoint.head }));
  let at = onEight(HEADER + 4 + json.length);
  const starts = checkpoint.segments.map((seg) => {
    const start = at;
    at = onEight(at + seg.length);
    return start;
  });
  const file = Buffer.alloc(at);
  file.writeUInt32LE(json.length, HEADER);
  json.copy(file, HEADER + 4);
  checkpoint.segments.forEach((seg, k) => file.set(seg, starts[k]));
  const payload = file.subarray(HEADER);
  if (payload.length > 0xffffffff) throw new Error('checkpoint too large for its header');
  MAGIC.copy(file, 0);
  file.writeUInt32LE(CHECKPOINT_VERSION, MAGIC.length);
  file.writeUInt32LE(payload.length, MAGIC.length + 4);
  macOf(trust.key, file).update(payload).digest().copy(file, MAGIC.length + 8);
  // Checked when read (a MAC over the content), so a power cut can only make it ignored: no flush.
  await writeFileAtomic(path, file, { flush: false });
}

/**
 * The checkpoint at `path` if it is of this version, signed with this user's key for this
 * machine and folder (`trust`), intact, and every log it names (paths under `dir` by name)
 * is still the file it saw and holds the bytes it covers; else the reason it is ignored.
 * `into(head, bytesLeft)` gives, for the JSON part's head, the memory each segment is read
 * into (their lengths), or null when the head is not what it expects (damaged; a head
 * asking for more bytes than the file has left is, before anything is allocated).
 */
export async function readCheckpoint<T>(
  path: string,
  logPath: (name: string) => string,
  /** Files written once: hashed whole, and they must not have grown (any byte added is damage the full read reports). */
  fixed: readonly string[],
  into: (head: unknown, bytesLeft: number) => { segments: readonly Uint8Array[]; value: T } | null,
  given?: CheckpointTrust | { unavailable: string },
): Promise<{ logs: Record<string, LogFingerprint>; value: T } | { ignored: string }> {
  const trust = given ?? (await checkpointTrust(dirname(path)));
  let fh;
  try {
    fh = await openRegular(path, 'read');
  } catch (err) {
    // A checkpoint that is a folder, a link or a device is not one: the logs are read whole.
    return { ignored: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'not a regular file' };
  }
  try {
    const size = (await fh.stat()).size;
    const read = async (buf: Uint8Array, at: number) => (buf.length === 0 ? 0 : (await fh.read(buf, 0, buf.length, at)).bytesRead);
    const header = Buffer.alloc(HEADER + 4);
    const h = MAGIC.length;
    if ((await read(header, 0)) < header.length || !header.subarray(0, h).equals(MAGIC)) return { ignored: 'not a checkpoint' };
    const version = header.readUInt32LE(h);
    if (version !== CHECKPOINT_VERSION) return { ignored: `version ${version}, this one reads ${CHECKPOINT_VERSION}` };
    if ('unavailable' in trust) return { ignored: `no checkpoint key (${trust.unavailable})` };
    if (size - HEADER !== header.readUInt32LE(h + 4)) return { ignored: 'damaged' };
    const jsonLength = header.readUInt32LE(HEADER);
    if (HEADER + 4 + jsonLength > size) return { ignored: 'damaged' };
    const json = Buffer.alloc(jsonLength);
    await read(json, HEADER + 4);
    const mac = macOf(trust.key, header).update(header.subarray(HEADER)).update(json);
    let parsed: { logs?: unknown; origin?: unknown; head?: unknown };
    try {
      parsed = JSON.parse(json.toString('utf8')) as typeof parsed;
    } catch {
      return { ignored: 'damaged' };
    }
    if (typeof parsed !== 'object' || parsed === null || !isFingerprints(parsed.logs)) return { ignored: 'damaged' };
    if (!sameOrigin(parsed.origin, trust.origin)) return { ignored: 'written on another machine or for another folder' };
    const target = into(parsed.head, size - (HEADER + 4 + jsonLength));
    if (!target) return { ignored: 'damaged' };
    // Each segment is read where it will live, and goes (with the zeros between) into the MAC.
    let at = HEADER + 4 + jsonLength;
    for (const seg of target.segments) {
      const start = onEight(at);
      const gap = Buffer.alloc(start - at);
      if ((await read(gap, at)) < gap.length || (await read(seg, start)) < seg.length) return { ignored: 'damaged' };
      mac.update(gap).update(seg);
      at = start + seg.length;
    }
    const tail = Buffer.alloc(Math.max(0, size - at));
    await read(tail, at);
    if (onEight(at) !== size || !timingSafeEqual(mac.update(tail).digest(), header.subarray(h + 8, h + 8 + MAC_BYTES))) {
      return { ignored: "not signed with this user's checkpoint key (written elsewhere, damaged or altered)" };
    }
    for (const [name, f] of Object.entries(parsed.logs)) {
      if (!(await stillCovers(logPath(name), f, fixed.includes(name)))) return { ignored: `stale: ${name} changed` };
    }
    return { logs: parsed.logs, value: target.value };
  } finally {
    await fh.close();
  }
}

function sameOrigin(v: unknown, origin: CheckpointOrigin): boolean {
  const o = v as Partial<CheckpointOrigin> | null;
  return typeof o === 'object' && o !== null && o.host === origin.host && o.dir === origin.dir;
}

function isFingerprints(v: unknown): v is Record<string, LogFingerprint> {
  if (typeof v !== 'object' || v === null) return false;
  const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  return Object.values(v).every((f: Partial<LogFingerprint>) => typeof f === 'object' && f !== null && count(f.offset) && count(f.line) && typeof f.head === 'string' && typeof f.tail === 'string' && typeof f.file === 'string');
}
