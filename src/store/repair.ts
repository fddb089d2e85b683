import { basename, join, relative } from 'node:path';
import { UserError } from '../core/errors';
import { ResponseRecord, ScoreLogRecord } from '../core/schema/records';
import { besideName, createExclusive, entryStat, fsyncDir, makeFolder, moveEntry, openRegular, removeEntry } from './folder/index';
import { eventFiles, eventLineVerdict, lockAuthorFile } from './curator-events';
import { ProjectLock } from './lock';
import { isResponseRecord } from './log/response-check';
import { jsonLines, scanLog, unknownKind, type InvalidLine, type LineVerdict } from './log/scan-log';
import { schemaIssues } from './log/schema-issues';
import { PROJECT_FILES } from './project-files';

/**
 * `hsstar repair`: moves the complete lines of a run folder's logs that are not valid
 * records (what every writing command refuses on) to a side file in the folder, byte for
 * byte, with a note of the file and line each came from, and changes nothing else: lines
 * of kinds this version does not know stay (a newer version wrote them), and so does a
 * torn last line (the next writer cuts it). The side file is flushed before the log is
 * replaced (a new file renamed over it), so a crash never loses a line.
 */

/** Where a repair put one log's invalid lines. */
export interface MovedLines {
  /** The log, relative to the run folder. */
  log: string;
  lines: number[];
  /** The side file holding the lines, and its note, relative to the run folder. */
  quarantine: string;
  note: string;
}

export const QUARANTINE_DIR = 'quarantine';

/** Bytes copied per step when a log is rewritten without its invalid lines. */
const COPY_BYTES = 1 << 23;

const zodReason = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string | undefined => (r.success || !r.error ? undefined : schemaIssues(r.error));

/** Each log's verdict on a line, as opening the folder gives it. */
const responseVerdict = (v: unknown): LineVerdict => (isResponseRecord(v) ? undefined : (unknownKind(v) ?? zodReason(ResponseRecord.safeParse(v))));
const scoreVerdict = (v: unknown): LineVerdict => unknownKind(v) ?? zodReason(ScoreLogRecord.safeParse(v));
const eventVerdict = (v: unknown): LineVerdict => eventLineVerdict(v, () => {});

/** Moves the invalid lines of every log of `dir` aside; what it moved (nothing when every complete line is valid). */
export async function repairRun(dir: string, now = new Date()): Promise<MovedLines[]> {
  if (!(await entryStat(join(dir, PROJECT_FILES.settings)))) throw new UserError(`not a project folder (no ${PROJECT_FILES.settings})`, dir);
  // No run appends while lines move; each author's file is also rewritten under its own lock.
  const lock = await ProjectLock.acquire(dir);
  try {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const moved: MovedLines[] = [];
    const logs: [string, (v: unknown) => LineVerdict, boolean][] = [
      [join(dir, PROJECT_FILES.responses), responseVerdict, false],
      [join(dir, PROJECT_FILES.scores), scoreVerdict, false],
      ...(await eventFiles(dir)).map((f): [string, (v: unknown) => LineVerdict, boolean] => [f, eventVerdict, basename(f) !== PROJECT_FILES.events]),
    ];
    for (const [path, verdict, authorFile] of logs) {
      const authorLock = authorFile ? await lockAuthorFile(path.replace(/\.jsonl$/, '.lock')) : null;
      try {
        const r = await scanLog(path, jsonLines(verdict), { repair: false, keepInvalid: Infinity });
        if (r.invalid.length === 0) continue;
        const name = relative(dir, path).split(/[\\/]/).join('-').replace(/\.jsonl$/, '');
        const quarantine = join(QUARANTINE_DIR, `${name}.${stamp}.jsonl`);
        const note = join(QUARANTINE_DIR, `${name}.${stamp}.txt`);
        await quarantineLines(path, r.invalid, join(dir, quarantine), join(dir, note), relative(dir, path), now);
        await rewriteWithout(path, r.invalid);
        moved.push({ log: relative(dir, path), lines: r.invalid.map((l) => l.line), quarantine, note });
      } finally {
        await authorLock?.release();
      }
    }
    return moved;
  } finally {
    await lock.release();
  }
}

/** Writes the lines, byte for byte, to a new side file, and where each came from to its note; both flushed. */
async function quarantineLines(path: string, lines: readonly InvalidLine[], to: string, noteTo: string, logName: string, now: Date): Promise<void> {
  await makeFolder(join(to, '..'));
  const src = await openRegular(path, 'read');
  const out = await openRegular(to, 'create').catch(async (err: unknown) => {
    await src.close();
    throw err;
  });
  try {
    for (const l of lines) {
      const buf = Buffer.alloc(l.bytes);
      await src.read(buf, 0, l.bytes, l.offset);
      await out.write(buf);
    }
    await out.sync();
  } finally {
    await out.close();
    await src.close();
  }
  const note = [
    `# Lines moved out of ${logName} by \`hsstar repair\` on ${now.toISOString()}: complete lines that are not valid records.`,
    `# Line k of ${basename(to)} was the line named on line k below (its byte offset in ${logName} then, and why it was refused).`,
    ...lines.map((l) => `${logName}:${l.line} (byte ${l.offset}, ${l.bytes} bytes): ${l.reason}`),
    '',
  ].join('\n');
  await createExclusive(noteTo, note, { flush: true });
  await fsyncDir(join(to, '..'));
}

/** Replaces the log with a copy of every byte but those lines (a new file renamed over it, then flushed). */
async function rewriteWithout(path: string, lines: readonly InvalidLine[]): Promise<void> {
  const tmp = besideName(path);
  const src = await openRegular(path, 'read');
  const { mode, size } = await src.stat();
  const out = await openRegular(tmp, 'create', { mode }).catch(async (err: unknown) => {
    await src.close();
    throw err;
  });
  try {
    const buf = Buffer.allocUnsafe(COPY_BYTES);
    const copy = async (from: number, to: number) => {
      for (let at = from; at < to; ) {
        const { bytesRead } = await src.read(buf, 0, Math.min(COPY_BYTES, to - at), at);
        if (bytesRead === 0) throw new UserError('changed while being repaired', path);
        await out.write(buf, 0, bytesRead);
        at += bytesRead;
      }
    };
    let at = 0;
    for (const l of lines) {
      await copy(at, l.offset);
      at = l.offset + l.bytes;
    }
    await copy(at, size);
    await out.sync();
  } catch (err) {
    await out.close();
    await removeEntry(tmp).catch(() => {});
    throw err;
  } finally {
    await src.close();
  }
  await out.close();
  await moveEntry(tmp, path);
  await fsyncDir(join(path, '..'));
}
