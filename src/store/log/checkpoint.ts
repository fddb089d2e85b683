import { closeSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { openRegular, openRegularSync, regularSize, writeFileAtomic } from '../folder/index';

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
export const CHECKPOINT_VERSION = 4;
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

/** Where the payload starts: magic, version, CRC-32, length. */
const HEADER = MAGIC.length + 12;
const onEight = (n: number) => Math.ceil(n / 8) * 8;

/** Fingerprint of the first `position.offset` bytes of a log. */
export async function fingerprint(path: string, position: LogPosition): Promise<LogFingerprint> {
  const { offset } = position;
  const fh = await openRegular(path, 'read');
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
    const size = await regularSize(path);
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

/**
 * Writes a checkpoint atomically: magic, version, CRC-32 and length of the payload, then
 * the payload: the byte length of a JSON part ({logs, head}), the JSON, then each segment,
 * each after zeros up to a multiple of 8 bytes from the file's start.
 */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const json = Buffer.from(JSON.stringify({ logs: checkpoint.logs, head: checkpoint.head }));
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
  file.writeUInt32LE(crc32(payload), MAGIC.length + 4);
  file.writeUInt32LE(payload.length, MAGIC.length + 8);
  // Checked when read (a CRC over the content), so a power cut can only make it ignored: no flush.
  await writeFileAtomic(path, file, { flush: false });
}

/**
 * The checkpoint at `path` if it is of this version, intact, and every log it names
 * (paths under `dir` by name) still holds the bytes it covers; else the reason it is
 * ignored. `into(head, bytesLeft)` gives, for the JSON part's head, the memory each segment
 * is read into (their lengths), or null when the head is not what it expects (damaged; a
 * head asking for more bytes than the file has left is, before anything is allocated).
 */
export async function readCheckpoint<T>(
  path: string,
  logPath: (name: string) => string,
  /** Files written once that must not have grown (any byte added is damage the full read reports). */
  fixed: readonly string[],
  into: (head: unknown, bytesLeft: number) => { segments: readonly Uint8Array[]; value: T } | null,
): Promise<{ logs: Record<string, LogFingerprint>; value: T } | { ignored: string }> {
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
    if (size - HEADER !== header.readUInt32LE(h + 8)) return { ignored: 'damaged' };
    const jsonLength = header.readUInt32LE(HEADER);
    if (HEADER + 4 + jsonLength > size) return { ignored: 'damaged' };
    const json = Buffer.alloc(jsonLength);
    await read(json, HEADER + 4);
    let crc = crc32(json, crc32(header.subarray(HEADER)));
    let parsed: { logs?: unknown; head?: unknown };
    try {
      parsed = JSON.parse(json.toString('utf8')) as typeof parsed;
    } catch {
      return { ignored: 'damaged' };
    }
    if (typeof parsed !== 'object' || parsed === null || !isFingerprints(parsed.logs)) return { ignored: 'damaged' };
    const target = into(parsed.head, size - (HEADER + 4 + jsonLength));
    if (!target) return { ignored: 'damaged' };
    // Each segment is read where it will live, and checked (with the zeros between) against the CRC.
    let at = HEADER + 4 + jsonLength;
    for (const seg of target.segments) {
      const start = onEight(at);
      const gap = Buffer.alloc(start - at);
      if ((await read(gap, at)) < gap.length || (await read(seg, start)) < seg.length) return { ignored: 'damaged' };
      crc = crc32(seg, crc32(gap, crc));
      at = start + seg.length;
    }
    const tail = Buffer.alloc(Math.max(0, size - at));
    await read(tail, at);
    if (onEight(at) !== size || crc32(tail, crc) !== header.readUInt32LE(h + 4)) return { ignored: 'damaged' };
    for (const [name, f] of Object.entries(parsed.logs)) {
      if (!(await stillCovers(logPath(name), f, fixed.includes(name)))) return { ignored: `stale: ${name} changed` };
    }
    return { logs: parsed.logs, value: target.value };
  } finally {
    await fh.close();
  }
}

function isFingerprints(v: unknown): v is Record<string, LogFingerprint> {
  if (typeof v !== 'object' || v === null) return false;
  const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  return Object.values(v).every((f: Partial<LogFingerprint>) => typeof f === 'object' && f !== null && count(f.offset) && count(f.line) && typeof f.head === 'string' && typeof f.tail === 'string');
}
