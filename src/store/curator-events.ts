import { join } from 'node:path';
import { UserError } from '../core/errors';
import { CuratorEvent } from '../core/schema/events';
import { EventRecord } from '../core/schema/records';
import { entryStat, fsyncDir, listFolder, makeFolder, openRegular, regularSize, truncateRegular } from './folder/index';
import { LockHeld, ProjectLock } from './lock';
import { InvalidLinesError, jsonLines, scanLog, unknownKind, type InvalidLine, type LineVerdict, type SkippedLines, type TornLine } from './log/scan-log';
import { schemaIssues } from './log/schema-issues';
import { PROJECT_FILES } from './project-files';

/**
 * Curator events live apart from the logs a run appends: one file per author,
 * `events/<author>.jsonl`, each written under its own short lock (`events/<author>.lock`),
 * so label overrides, reviews and pair edits can be recorded while a run holds the
 * folder's sampling lock, and two annotators' clones merge in git without a conflict.
 * Older runs kept every event in `events.jsonl`; it is still read.
 */

/** How long an append waits for another process writing the same author's file. */
const AUTHOR_LOCK_WAIT_MS = 10_000;

/**
 * The longest encoded author name: with `.lock` and a lock's temporary suffix the file
 * names stay well under the 255 bytes file systems allow.
 */
export const MAX_AUTHOR_FILE_BYTES = 200;
/** An events file is read whole on every open; a larger one is refused rather than read. */
const EVENTS_FILE_MAX_BYTES = 256 << 20;

/**
 * The file name of an author's events: letters, digits, `_` and `-` kept, other bytes as
 * `%XX`. A name too long for a file name is refused here, before any file is touched.
 */
export function authorFileName(author: string): string {
  const safe = [...Buffer.from(author, 'utf8')]
    .map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  if (safe.length > MAX_AUTHOR_FILE_BYTES) {
    const shown = author.length > 40 ? `${author.slice(0, 40)}…` : author;
    throw new UserError(
      `the author name "${shown}" is too long: its events file name would be ${safe.length} bytes, at most ${MAX_AUTHOR_FILE_BYTES} (each UTF-8 byte other than a letter, digit, _ or - takes 3); give a shorter --author, $HSSTAR_AUTHOR or hsstar.review.author`,
    );
  }
  return `${safe || '%'}.jsonl`;
}

interface Placed {
  event: CuratorEvent;
  /** Which file (the legacy `events.jsonl` first, then author files by name) and which line. */
  file: number;
  line: number;
}

/** The merge order of every reader: time, then author, then the event's place in its file. */
function compareCuratorEvents(a: Placed, b: Placed): number {
  if (a.event.at !== b.event.at) return a.event.at < b.event.at ? -1 : 1;
  if (a.event.author !== b.event.author) return a.event.author < b.event.author ? -1 : 1;
  return a.file - b.file || a.line - b.line;
}

/** The events files of a project folder, in the order their events are numbered. */
export async function eventFiles(dir: string): Promise<string[]> {
  const names = await listFolder(join(dir, PROJECT_FILES.eventsDir));
  const authors = names.filter((n) => n.endsWith('.jsonl')).sort();
  return [join(dir, PROJECT_FILES.events), ...authors.map((n) => join(dir, PROJECT_FILES.eventsDir, n))];
}

/** Size and modification time of each events file: unchanged stamps mean nothing new to read. */
export type EventFilesStamp = Map<string, string>;

export async function eventFilesStamp(dir: string): Promise<EventFilesStamp> {
  const out: EventFilesStamp = new Map();
  for (const f of await eventFiles(dir)) {
    const s = await entryStat(f);
    if (s) out.set(f, `${s.size}:${s.mtimeMs}`);
  }
  return out;
}

export function sameStamp(a: EventFilesStamp, b: EventFilesStamp, except?: ReadonlySet<string>): boolean {
  for (const [f, v] of a) if (!except?.has(f) && b.get(f) !== v) return false;
  for (const f of b.keys()) if (!except?.has(f) && !a.has(f)) return false;
  return true;
}

/**
 * Where an event just appended to its author's file goes in the merged order: after every
 * event of an earlier or equal (time, author), since its line is the last of its file.
 */
export function mergedInsertIndex(events: readonly CuratorEvent[], e: CuratorEvent): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = events[mid]!;
    const after = m.at < e.at || (m.at === e.at && m.author <= e.author);
    if (after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The event types this version knows; an event of another type was written by a newer version. */
const EVENT_TYPES: ReadonlySet<string> = new Set(CuratorEvent.options.map((o) => o.shape.type.value));

/**
 * What an events file's line is: an event (given to `take`), a reason it is not a valid
 * event (its time not an ISO time, thresholds out of order, …), or a kind this version does
 * not know: a record of another kind, or an event of another type.
 */
export function eventLineVerdict(v: unknown, take: (e: CuratorEvent) => void): LineVerdict {
  const unknown = unknownKind(v);
  if (unknown) return unknown;
  const event = (v as { kind?: unknown; event?: { type?: unknown } } | null)?.event;
  if ((v as { kind?: unknown }).kind === 'event' && typeof event?.type === 'string' && !EVENT_TYPES.has(event.type)) return { unknownKind: `event ${event.type}` };
  const parsed = EventRecord.safeParse(v);
  if (!parsed.success) return schemaIssues(parsed.error);
  take(parsed.data.event);
  return undefined;
}

/** What reading every events file gives. */
export interface ReadEvents {
  events: CuratorEvent[];
  torn: TornLine[];
  /** Complete lines that are not valid events (the first few of each file), and how many in all. */
  invalid: InvalidLine[];
  invalidCount: number;
  /** Lines of kinds this version does not know, per file. */
  skipped: SkippedLines[];
}

/**
 * Every curator event of a project folder, merged from the author files and the legacy
 * `events.jsonl` in one deterministic order (time, author, place in file). An event id seen
 * twice (e.g. a line both branches of a git merge kept) counts once. A torn last line is
 * dropped and reported; its author's next append cuts it. An invalid complete line is kept
 * and returned in `invalid`, for the caller to report or refuse on.
 */
export async function readCuratorEvents(dir: string): Promise<ReadEvents> {
  const placed: Placed[] = [];
  const out: ReadEvents = { events: [], torn: [], invalid: [], invalidCount: 0, skipped: [] };
  const files = await eventFiles(dir);
  for (let file = 0; file < files.length; file++) {
    const size = await regularSize(files[file]!);
    if (size > EVENTS_FILE_MAX_BYTES) throw new UserError(`${files[file]} is ${size} bytes; an events file is read whole, and at most ${EVENTS_FILE_MAX_BYTES} are read`);
    const r = await scanLog(
      files[file]!,
      jsonLines((v) => eventLineVerdict(v, (event) => placed.push({ event, file, line: placed.length }))),
      { repair: false },
    );
    if (r.torn) out.torn.push(r.torn);
    out.invalid.push(...r.invalid);
    out.invalidCount += r.invalidCount;
    if (r.skipped) out.skipped.push(r.skipped);
  }
  placed.sort(compareCuratorEvents);
  const seen = new Set<string>();
  for (const p of placed) {
    if (seen.has(p.event.id)) continue;
    seen.add(p.event.id);
    out.events.push(p.event);
  }
  return out;
}

/** Takes an author's lock, waiting a while for another process that is appending. */
export async function lockAuthorFile(lockPath: string): Promise<ProjectLock> {
  const deadline = Date.now() + AUTHOR_LOCK_WAIT_MS;
  for (;;) {
    try {
      return await ProjectLock.acquireFile(lockPath);
    } catch (err) {
      if (!(err instanceof LockHeld) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
}

/**
 * Readies an author's file for an append: a last line left without its `\n` by a crash is
 * cut, so the next line starts clean; a complete line that is not a valid event is refused
 * (naming `hsstar repair`), since appending after it would leave it behind every later
 * line. True when the file does not exist yet.
 */
async function readyAuthorFile(path: string, runDir: string): Promise<boolean> {
  if (!(await entryStat(path))) return true;
  const r = await scanLog(path, jsonLines((v) => eventLineVerdict(v, () => {})), { repair: false });
  if (r.invalidCount > 0) throw new InvalidLinesError(r.invalid, r.invalidCount, runDir);
  if (r.torn) await truncateRegular(path, r.size);
  return false;
}

/**
 * Appends events to their authors' files; resolves once every line is flushed to disk.
 * Each author's file is written under its own lock, never under the sampling lock.
 */
/** What an append wrote: the events as stored (defaults filled in), and each file's size before and after. */
export interface AppendedEvents {
  events: CuratorEvent[];
  sizes: Map<string, { before: number; after: number }>;
}

export async function appendCuratorEvents(dir: string, events: readonly CuratorEvent[]): Promise<AppendedEvents> {
  const sizes = new Map<string, { before: number; after: number }>();
  const written: CuratorEvent[] = [];
  // By file name, made (and a name too long refused) before anything is written.
  const byAuthor = new Map<string, string[]>();
  for (const e of events) {
    // Checked as a reader checks it: an event no reader would take is never written.
    const parsed = EventRecord.safeParse({ kind: 'event', event: e });
    if (!parsed.success) throw new UserError(`not a valid event: ${schemaIssues(parsed.error)}`, e.id);
    const record = parsed.data;
    written.push(record.event);
    const file = authorFileName(record.event.author);
    const lines = byAuthor.get(file) ?? [];
    lines.push(JSON.stringify(record) + '\n');
    byAuthor.set(file, lines);
  }
  if (byAuthor.size === 0) return { events: written, sizes };
  const eventsDir = join(dir, PROJECT_FILES.eventsDir);
  await makeFolder(eventsDir);
  // Every file checked first (a link or a folder in its place is refused): nothing is written unless all can be.
  for (const file of byAuthor.keys()) await regularSize(join(eventsDir, file));
  for (const [file, lines] of byAuthor) {
    const path = join(eventsDir, file);
    const lock = await lockAuthorFile(path.replace(/\.jsonl$/, '.lock'));
    try {
      const created = await readyAuthorFile(path, dir);
      const fh = await openRegular(path, 'append');
      try {
        const before = (await fh.stat()).size;
        const data = Buffer.from(lines.join(''), 'utf8');
        await fh.write(data);
        await fh.datasync();
        sizes.set(path, { before, after: before + data.length });
      } finally {
        await fh.close();
      }
      if (created) await fsyncDir(eventsDir);
    } finally {
      await lock.release();
    }
  }
  return { events: written, sizes };
}
