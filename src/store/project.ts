import { readFile, open, mkdir, readdir, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors';
import { FORMAT_VERSION, RunSettings } from '../core/schema/settings';
import { Problem } from '../core/schema/problem';
import type { Response } from '../core/schema/response';
import type { CuratorEvent } from '../core/schema/events';
import { ResponseRecord, ScoreLogRecord, type FailureRecord, type GradeRecord, type PrmRecord, type RewardRecord } from '../core/schema/records';
import { writeFileAtomic, fsyncDir } from './atomic-write';
import { ProjectLock, LOCK_FILE } from './lock';
import { AppendLog } from './log/append-log';
import { duplicateProblemId, isProblem } from './log/problem-check';
import { cutTorn, jsonLines, LineIssues, scanLog, unknownKind, type InvalidLine, type LineHandler, type LineVerdict, type TornLine } from './log/scan-log';
import { PROJECT_FILES } from './project-files';
import { isResponseRecord, toResponseRecord, type ResponseRecordInput } from './log/response-check';
import { CHECKPOINT_FILE, fingerprint, readCheckpoint, writeCheckpoint, type LogPosition } from './log/checkpoint';
import { encodeIndex, indexInto } from './log/index-columns';
import { ResponseTable, type ResponseTally } from './log/response-table';
import { ProblemFacts } from './log/problem-facts';
import type { ResponseFacts } from '../core/state/response-facts';
import { textClasses } from '../core/state/text-classes';
import { appendCuratorEvents, eventFilesStamp, mergedInsertIndex, readCuratorEvents, sameStamp, type EventFilesStamp } from './curator-events';
import { writeGitFiles, type GitLogs } from './git-files';
import { textDigest, UNKNOWN_DIGEST } from './log/text-digest';

export type { InvalidLine, TornLine } from './log/scan-log';

/** What opening a folder had to repair or take over; shown to the user, never silent. */
export interface RecoveryReport {
  /** Torn last lines dropped (one per log at most). */
  torn: TornLine[];
  /** E.g. a stale lock taken over, records of kinds this version does not know skipped. */
  warnings: string[];
  /** Complete lines that are not valid records, kept in their files (only a read-only open that reports them gets here). */
  invalid: InvalidLine[];
}

/** Whether opening started from the checkpoint (and how many log bytes it read after it), or why it did not. */
export type CheckpointUse = { used: true; bytesAfter: number } | { used: false; reason: string };

/** The logs a checkpoint covers; events.jsonl is small and read whole every time. */
const CHECKPOINTED = ['responses', 'scores'] as const;

/**
 * Where a materialised record keeps what it needs to read its text: a symbol-keyed,
 * non-enumerable property, invisible to spreads, JSON and comparisons.
 */
const LAZY_TEXT = Symbol('lazyText');
interface LazyText {
  row: number;
  store: ProjectStore;
  text: string | undefined;
}
/** The one getter every record shares, so all records keep one small shape. */
function lazyText(this: { [LAZY_TEXT]: LazyText }): string {
  const l = this[LAZY_TEXT];
  return (l.text ??= l.store.readText(l.row));
}


/** The logs a run appends, under the sampling lock; curator events have their own writers. */
const LOG_NAMES = ['responses', 'scores'] as const;

/** Responses are written with their text last, so opening can skip over the text. */
const TEXT_KEY = Buffer.from(',"text":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

/** Byte index of the quote closing the JSON string whose content starts at `from`, or -1. */
function closingQuote(buf: Buffer, from: number, end: number): number {
  for (let p = from; ; ) {
    const q = buf.indexOf(QUOTE, p);
    if (q < 0 || q >= end) return -1;
    let slashes = 0;
    while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
    p = q + 1;
  }
}

/** Where a response line's text is (its JSON string between the quotes), when it is the last field; else null. */
function textSpan(buf: Buffer, start: number, end: number): { key: number; from: number; to: number } | null {
  const k = buf.subarray(start, end).indexOf(TEXT_KEY);
  if (k < 0) return null;
  const from = start + k + TEXT_KEY.length;
  const q = closingQuote(buf, from, end);
  if (q !== end - 2 || buf[end - 1] !== CLOSE_BRACE) return null;
  return { key: start + k, from, to: q };
}

/** A response line as JSON with its text left out, and its text's digest; null when the text is not the last field. */
function responseWithoutText(buf: Buffer, start: number, end: number): { json: string; digest: number } | null {
  const span = textSpan(buf, start, end);
  if (!span) return null;
  return { json: buf.toString('utf8', start, span.key) + ',"text":""}', digest: textDigest(buf.subarray(span.from, span.to)) };
}

/** Response lines encoded into one buffer, with each line's byte length and its text's digest. */
interface EncodedLines {
  bytes: Buffer;
  lengths: number[];
  digests: number[];
}

/**
 * The lines `JSON.stringify({ ...rest, text }) + '\n'` of the records, the text last, written
 * straight into one buffer: the text's JSON string is encoded once and its bytes digested
 * where they lie, rather than building each line, copying it to a buffer, joining the
 * buffers and searching each line again for its text.
 */
function encodeResponseLines(rs: readonly ResponseRecord[]): EncodedLines {
  const heads: string[] = [];
  const texts: string[] = [];
  let total = 0;
  for (const r of rs) {
    const { text, ...rest } = r;
    // `{"kind":…,"round":0}` becomes `{"kind":…,"round":0,"text":`: rest always has keys.
    const head = JSON.stringify(rest).slice(0, -1) + ',"text":';
    const json = JSON.stringify(text);
    heads.push(head);
    texts.push(json);
    total += Buffer.byteLength(head) + Buffer.byteLength(json) + 2;
  }
  const bytes = Buffer.allocUnsafe(total);
  const lengths: number[] = [];
  const digests: number[] = [];
  let at = 0;
  for (let i = 0; i < rs.length; i++) {
    const start = at;
    at += bytes.write(heads[i]!, at);
    const from = at;
    at += bytes.write(texts[i]!, at);
    digests.push(textDigest(bytes.subarray(from + 1, at - 1)));
    bytes[at++] = CLOSE_BRACE;
    bytes[at++] = NEWLINE;
    lengths.push(at - start);
  }
  return { bytes, lengths, digests };
}
type LogName = (typeof LOG_NAMES)[number];

function issues(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`)
    .join('; ');
}

/**
 * A curation run's folder: settings snapshot, problems, and append-only logs of responses,
 * scores and curator events, with an in-memory index built on open.
 */
export class ProjectStore {
  private problemList: Problem[] = [];
  /** Responses (without texts) and their latest scores, by row (response-table.ts). */
  private table = new ResponseTable([]);
  private readonly pendingIds = new Set<string>();
  private failureList: FailureRecord[] = [];
  private eventList: CuratorEvent[] = [];
  /** The events files as last read: a reload with nothing changed reads nothing. */
  private eventsStamp: EventFilesStamp = new Map();
  private readonly eventWrites = new Set<Promise<unknown>>();
  private readonly logs = new Map<LogName, AppendLog>();
  /** Read handle on responses.jsonl for response texts. */
  private reader: FileHandle | null = null;
  private readBuf = Buffer.alloc(64 * 1024);
  /** How far each log has been read or written: the next byte and the lines before it. */
  private readonly positions = new Map<LogName | 'problems', LogPosition>();
  /** How the last open read the logs: from the checkpoint or whole (for status and tests). */
  checkpointUse: CheckpointUse = { used: false, reason: 'new project' };
  /** While catching up: the problems whose responses or scores the new lines touched. */
  private touched: Set<string> | null = null;
  /** Something was appended since opening: closing writes a new checkpoint. */
  private dirty = false;
  private closed = false;
  /** Invalid lines and lines of unknown kinds the reads found (scan-log.ts). */
  private readonly lineIssues = new LineIssues();

  private constructor(
    readonly dir: string,
    private currentSettings: RunSettings,
    private readonly lock: ProjectLock | null,
  ) {}

  get settings(): RunSettings {
    return this.currentSettings;
  }

  /** Holds the sampling lock: may append responses and scores and change settings. */
  get writable(): boolean {
    return this.lock !== null;
  }

  /**
   * Creates a project in `dir` (made if missing): settings snapshot, problems, empty logs,
   * the git files (`.gitattributes`, `.gitignore`; `gitLogs` says whether git tracks the
   * run's logs) and the lock. Refuses a folder that already holds a project's files.
   */
  static async create(
    dir: string,
    settings: RunSettings,
    problems: Iterable<Problem> | AsyncIterable<Problem>,
    options: { gitLogs?: GitLogs } = {},
  ): Promise<ProjectStore> {
    const checked = RunSettings.parse(settings);
    await mkdir(dir, { recursive: true });
    const present = new Set(await readdir(dir));
    const clash = [...Object.values(PROJECT_FILES), LOCK_FILE].filter((f) => present.has(f));
    if (clash.length > 0) {
      throw new UserError(`already holds a project (${clash.join(', ')}); choose an empty folder`, dir);
    }
    const lock = await ProjectLock.acquire(dir);
    const created: string[] = [];
    try {
      const problemsPath = join(dir, PROJECT_FILES.problems);
      created.push(problemsPath);
      const fh = await open(problemsPath, 'wx');
      const list: Problem[] = [];
      try {
        let batch: string[] = [];
        for await (const p of problems) {
          const valid = Problem.parse(p);
          list.push(valid);
          batch.push(JSON.stringify(valid) + '\n');
          if (batch.length >= 1000) {
            await fh.write(batch.join(''));
            batch = [];
          }
        }
        if (batch.length > 0) await fh.write(batch.join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
      for (const name of LOG_NAMES) {
        const path = join(dir, PROJECT_FILES[name]);
        created.push(path);
        await (await open(path, 'wx')).close();
      }
      await mkdir(join(dir, PROJECT_FILES.exports));
      created.push(join(dir, PROJECT_FILES.exports));
      await mkdir(join(dir, PROJECT_FILES.eventsDir));
      created.push(join(dir, PROJECT_FILES.eventsDir));
      if (!present.has('.gitattributes') && !present.has('.gitignore')) created.push(...(await writeGitFiles(dir, options.gitLogs ?? 'track')));
      // hsstar.json last: a folder without it is not a project, so a crash above leaves none.
      const settingsPath = join(dir, PROJECT_FILES.settings);
      created.push(settingsPath);
      await writeFileAtomic(settingsPath, JSON.stringify(checked, null, 2) + '\n');
      await fsyncDir(dir);
      const store = new ProjectStore(dir, checked, lock);
      store.problemList = list;
      store.table = new ResponseTable(list.map((p) => p.id));
      store.positions.set('problems', { offset: (await stat(problemsPath)).size, line: list.length });
      for (const name of LOG_NAMES) store.positions.set(name, { offset: 0, line: 0 });
      await store.openLogs(new Map(LOG_NAMES.map((n) => [n, 0])));
      return store;
    } catch (err) {
      for (const f of created.reverse()) await rm(f, { recursive: false, force: true }).catch(() => rmdir(f).catch(() => {}));
      await lock.release();
      throw err;
    }
  }

  /**
   * Opens a project; `write: true` takes the lock and repairs torn last lines. A complete
   * line that is not a valid record is refused with its file and line and `hsstar repair`,
   * unless `invalidLines: 'report'` on a read-only open (status, the extension's viewer):
   * then it is skipped, listed in the recovery report, and the store refuses to append events.
   */
  static async open(dir: string, opts: { write: boolean; invalidLines?: 'report' }): Promise<{ store: ProjectStore; recovery: RecoveryReport }> {
    const settingsPath = join(dir, PROJECT_FILES.settings);
    let text: string;
    try {
      text = await readFile(settingsPath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOENT' ? `not a project folder (no ${PROJECT_FILES.settings}); create one with hsstar init` : String(err), dir);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new UserError(`not valid JSON: ${(err as Error).message}`, settingsPath);
    }
    const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === 'number' && version > FORMAT_VERSION) {
      throw new UserError(`written by a newer version (format ${version}; this one reads ${FORMAT_VERSION})`, settingsPath);
    }
    const parsed = RunSettings.safeParse(raw);
    if (!parsed.success) throw new UserError(`invalid settings: ${issues(parsed.error)}`, settingsPath);

    const lock = opts.write ? await ProjectLock.acquire(dir) : null;
    const store = new ProjectStore(dir, parsed.data, lock);
    const recovery: RecoveryReport = { torn: [], warnings: lock?.warning ? [lock.warning] : [], invalid: [] };
    try {
      await store.load(recovery, opts.write, opts.write || opts.invalidLines !== 'report');
    } catch (err) {
      await store.close();
      throw err;
    }
    return { store, recovery };
  }

  private async load(recovery: RecoveryReport, repair: boolean, refuseInvalid: boolean): Promise<void> {
    const read = await readCheckpoint(join(this.dir, CHECKPOINT_FILE), (name) => join(this.dir, name), [PROJECT_FILES.problems], indexInto);
    const index = 'value' in read ? read.value() : null;
    if ('value' in read && index) {
      this.problemList = index.problems;
      this.table = index.table;
      this.failureList = index.failures;
      for (const skipped of index.skipped) this.lineIssues.addLog({ invalid: [], invalidCount: 0, skipped });
      for (const name of ['problems', ...CHECKPOINTED] as const) {
        const f = read.logs[PROJECT_FILES[name]];
        if (f) this.positions.set(name, { offset: f.offset, line: f.line });
      }
    } else this.checkpointUse = { used: false, reason: 'ignored' in read ? read.ignored : 'damaged' };
    if (!this.positions.has('problems')) await this.loadProblems();

    const sizes = new Map<LogName, number>();
    let bytesAfter = 0;
    for (const name of CHECKPOINTED) {
      const from = this.positions.get(name);
      const r = await this.scan(name, { repair: false, ...(from ? { from } : {}) });
      if (r.torn) recovery.torn.push(r.torn);
      sizes.set(name, r.size);
      bytesAfter += r.size - (from?.offset ?? 0);
    }
    if (index) this.checkpointUse = { used: true, bytesAfter };
    recovery.torn.push(...(await this.readEvents()));
    // Nothing is changed (not even a torn tail cut) before a refusal.
    if (refuseInvalid) this.lineIssues.refuse(this.dir);
    recovery.invalid.push(...this.lineIssues.invalid);
    recovery.warnings.push(...this.lineIssues.notes());
    this.reader = await open(join(this.dir, PROJECT_FILES.responses), 'r').catch(() => null);
    if (repair) {
      for (const name of CHECKPOINTED) if (recovery.torn.some((t) => t.file === join(this.dir, PROJECT_FILES[name]))) await cutTorn(join(this.dir, PROJECT_FILES[name]), sizes.get(name)!);
      await this.openLogs(sizes);
    }
  }

  private async loadProblems(): Promise<void> {
    const problemsPath = join(this.dir, PROJECT_FILES.problems);
    const problems: Problem[] = [];
    const seen = new Map<string, number>();
    // Refused as `hsstar init` refuses a dataset row whose id came before: one id, one problem.
    const once = (p: Problem, line: number): undefined => {
      const first = seen.get(p.id);
      if (first !== undefined) throw new UserError(duplicateProblemId(p.id, first), `${problemsPath}:${line}`);
      seen.set(p.id, line);
      problems.push(p);
      return undefined;
    };
    const p = await scanLog(
      problemsPath,
      jsonLines((v, _offset, _length, line) => {
        // isProblem passes only what the schema would give unchanged (a unit test holds the
        // two equal); anything else gets the schema's own verdict and message.
        if (isProblem(v)) return once(v, line);
        const r = Problem.safeParse(v);
        if (!r.success) return issues(r.error);
        return once(r.data, line);
      }),
      { repair: false },
    );
    // problems.jsonl is written whole before hsstar.json exists: a torn or bad line there is damage.
    const bad = p.invalid[0];
    if (bad) throw new UserError(`unreadable record (${bad.reason}); the file was changed outside HS-STaR Curator`, `${bad.file}:${bad.line}`);
    if (p.torn) throw new UserError('incomplete last line', `${problemsPath}:${p.torn.line}`);
    this.problemList = problems;
    this.table = new ResponseTable(problems.map((x) => x.id));
    this.positions.set('problems', { offset: p.size, line: p.lines });
  }

  /** Reads a log from `from` (default its start) into the index; the position moves to its valid end. */
  private async scan(name: (typeof CHECKPOINTED)[number], opts: { repair: boolean; from?: LogPosition }) {
    const onLine: LineHandler =
      name === 'responses' ? (buf, start, end, offset) => this.indexResponseLine(buf, start, end, offset) : jsonLines((v) => this.indexScoreLine(v));
    const r = await scanLog(join(this.dir, PROJECT_FILES[name]), onLine, opts);
    this.positions.set(name, { offset: r.size, line: r.lines });
    this.lineIssues.addLog(r);
    return r;
  }

  /** The one place curator events are read: every author's file, merged (they are small, read whole). */
  private async readEvents(stamp?: EventFilesStamp): Promise<TornLine[]> {
    this.eventsStamp = stamp ?? (await eventFilesStamp(this.dir));
    const events = await readCuratorEvents(this.dir);
    this.eventList = events.events;
    this.lineIssues.setEvents(events);
    return events.torn;
  }

  /**
   * Writes the checkpoint of what the logs hold now (after a run, on close). Best effort:
   * without it the next open reads the logs whole, so a failure here loses nothing.
   */
  private async saveCheckpoint(): Promise<void> {
    try {
      await this.writeCheckpointNow();
    } catch {
      // e.g. the folder went away or the disk is full: the next open reads the logs whole
    }
  }

  private async writeCheckpointNow(): Promise<void> {
    const logs: Record<string, Awaited<ReturnType<typeof fingerprint>>> = {};
    for (const name of ['problems', ...CHECKPOINTED] as const) {
      const position = this.positions.get(name);
      if (!position) return;
      logs[PROJECT_FILES[name]] = await fingerprint(join(this.dir, PROJECT_FILES[name]), position, name === 'problems');
    }
    // Which texts are equal is asked of every Boundary problem on open: found out once, here, it is read from the checkpoint.
    for (const p of this.problemList) this.knowTwins(this.table.rowsOf(p.id));
    await writeCheckpoint(join(this.dir, CHECKPOINT_FILE), { logs, ...encodeIndex(this.table, this.problemList, this.failureList, this.lineIssues.skippedInLogs) });
  }

  /**
   * For a folder open read-only while another process writes it: reads what was appended
   * since (only the new bytes of the large logs; a line still being written waits for the
   * next call) and the events again. 'reopen' when a log no longer holds what was read.
   * `problems`: those whose responses or scores changed (what a read model must derive again).
   */
  async catchUp(): Promise<{ result: 'updated' | 'unchanged' | 'reopen'; problems: ReadonlySet<string> }> {
    const touched = new Set<string>();
    if (this.writable || this.closed) return { result: 'unchanged', problems: touched };
    let changed = false;
    this.touched = touched;
    try {
      for (const name of CHECKPOINTED) {
        const from = this.positions.get(name) ?? { offset: 0, line: 0 };
        const size = await stat(join(this.dir, PROJECT_FILES[name])).then((s) => s.size, () => 0);
        if (size < from.offset) return { result: 'reopen', problems: touched };
        if (size === from.offset) continue;
        const before = from.offset;
        await this.scan(name, { repair: false, from });
        changed ||= this.positions.get(name)!.offset !== before;
      }
    } finally {
      this.touched = null;
    }
    changed = (await this.reloadEvents()) || changed;
    if (!this.reader) this.reader = await open(join(this.dir, PROJECT_FILES.responses), 'r').catch(() => null);
    return { result: changed ? 'updated' : 'unchanged', problems: touched };
  }

  private async openLogs(sizes: Map<LogName, number>): Promise<void> {
    for (const name of LOG_NAMES) this.logs.set(name, await AppendLog.open(join(this.dir, PROJECT_FILES[name]), sizes.get(name) ?? 0));
    this.reader ??= await open(join(this.dir, PROJECT_FILES.responses), 'r');
  }

  /**
   * Indexes one responses.jsonl line. The text, most of the bytes, is not parsed here (it is
   * parsed when read); lines written in another key order are parsed whole. Fields are
   * checked by isResponseRecord (the schema's checks, written out for speed); zod
   * explains a line that fails.
   */
  private indexResponseLine(buf: Buffer, start: number, end: number, offset: number): LineVerdict {
    const length = end - start + 1;
    let value: unknown;
    const withoutText = responseWithoutText(buf, start, end);
    try {
      value = JSON.parse(withoutText?.json ?? buf.toString('utf8', start, end));
    } catch (err) {
      return (err as Error).message;
    }
    const digest = withoutText?.digest ?? UNKNOWN_DIGEST;
    if (isResponseRecord(value)) {
      this.indexResponse(value, offset, length, digest);
      return undefined;
    }
    const unknown = unknownKind(value);
    if (unknown) return unknown;
    const r = ResponseRecord.safeParse(value);
    if (!r.success) return issues(r.error);
    this.indexResponse(r.data, offset, length, digest);
    return undefined;
  }

  /** Its row; -1 for a duplicate line (an idempotent import), where the first wins. */
  private indexResponse(r: ResponseRecordInput, offset: number, length: number, textDigest: number): number {
    const row = this.table.add(r, offset, length, textDigest);
    if (row >= 0) this.touched?.add(r.problemId);
    return row;
  }

  private indexScoreLine(v: unknown): LineVerdict {
    const unknown = unknownKind(v);
    if (unknown) return unknown;
    const r = ScoreLogRecord.safeParse(v);
    if (!r.success) return issues(r.error);
    this.indexScore(r.data);
    return undefined;
  }

  private indexScore(r: ScoreLogRecord): void {
    if (this.touched && r.kind !== 'failure') {
      const row = this.table.rowOf(r.responseId);
      this.touched.add(row >= 0 ? this.table.problemOf(row) : r.responseId.slice(0, r.responseId.lastIndexOf(':')));
    }
    if (r.kind === 'failure') this.failureList.push(r);
    else this.table.setScore(r);
  }

  // ---- reading

  problems(): readonly Problem[] {
    return this.problemList;
  }

  get responseCount(): number {
    return this.table.size;
  }

  /** Every response in log order; texts are read back from disk one by one. */
  *responses(): Iterable<ResponseRecord> {
    for (let row = 0; row < this.table.size; row++) yield this.materialize(row);
  }

  /** A problem's responses, by slot. */
  responsesOf(problemId: string): readonly ResponseRecord[] {
    return this.table.rowsOf(problemId).map((row) => this.materialize(row));
  }

  /** A problem's responses by slot, without their texts (nothing is read from disk). */
  responseMetaOf(problemId: string): readonly Omit<ResponseRecord, 'text'>[] {
    return this.table.rowsOf(problemId).map((row) => this.table.meta(row));
  }

  /** Counts over the dataset's problems' responses (by stage, truncated, graded, correct, scored), from the index's columns. */
  responseTally(): ResponseTally {
    return this.table.tally(this.problemList.map((p) => p.id));
  }

  /** How many responses a problem has, without reading their texts. */
  responseCountOf(problemId: string): number {
    return this.table.rowsOf(problemId).length;
  }

  /**
   * A problem's responses as the numbers derivation needs (grades, S(r), rewards, which
   * texts are equal), straight from the index's columns: no record, no text read unless two
   * texts' digests match and their equality is not known yet.
   */
  responseFactsOf(problemId: string): ResponseFacts {
    return new ProblemFacts(this.table, this.table.rowsOf(problemId), (rows) => this.knowTwins(rows));
  }

  /** The digest of a stored response's text (see textDigest): responses whose digests differ have different texts. */
  textDigest(response: Pick<Response, 'id'>): number | undefined {
    // A record this store materialised carries its row: no lookup by id.
    const own = (response as Partial<{ [LAZY_TEXT]: LazyText }>)[LAZY_TEXT];
    const row = own?.store === this ? own.row : this.table.rowOf(response.id);
    const d = row < 0 ? undefined : this.table.cols.textDigest[row];
    return d === undefined || d === UNKNOWN_DIGEST ? undefined : d;
  }

  hasResponse(responseId: string): boolean {
    return this.table.rowOf(responseId) >= 0;
  }

  grade(responseId: string): GradeRecord | undefined {
    return this.table.grade(responseId);
  }

  /** Whether every response of a problem has a grade from this grader version (nothing is built or read). */
  gradedBy(problemId: string, grader: string): boolean {
    return this.table.gradedBy(problemId, grader);
  }

  prm(responseId: string): PrmRecord | undefined {
    return this.table.prm(responseId);
  }

  reward(responseId: string): RewardRecord | undefined {
    return this.table.reward(responseId);
  }

  failures(): readonly FailureRecord[] {
    return this.failureList;
  }

  /** Every curator event, merged from all authors' files (time, author, place in file). */
  events(): readonly CuratorEvent[] {
    return this.eventList;
  }

  /** Reads the curator events again (other processes may have added some); true if they changed. */
  async reloadEvents(): Promise<boolean> {
    const stamp = await eventFilesStamp(this.dir);
    if (sameStamp(stamp, this.eventsStamp)) return false;
    const before = this.eventList;
    await this.readEvents(stamp);
    return this.eventList.length !== before.length || this.eventList.some((e, i) => e.id !== before[i]!.id);
  }

  /** Counts of what the logs hold, for status displays. */
  counts(): { problems: number; responses: number; grades: number; prm: number; rewards: number; failures: number; events: number } {
    return {
      problems: this.problemList.length,
      responses: this.table.size,
      grades: this.table.grades,
      prm: this.table.prms,
      rewards: this.table.rewards,
      failures: this.failureList.length,
      events: this.eventList.length,
    };
  }

  /** The text of the response in `row`, read from disk; through a short-lived handle once the store is closed. */
  readText(row: number): string {
    const path = join(this.dir, PROJECT_FILES.responses);
    const offset = this.table.cols.offset[row]!;
    const length = this.table.cols.length[row]!;
    if (this.readBuf.length < length) this.readBuf = Buffer.alloc(length * 2);
    let n: number;
    if (this.reader) n = readSync(this.reader.fd, this.readBuf, 0, length, offset);
    else {
      // Lines never move (the log is append-only), so a record that outlives its store can still read its text.
      const fd = openSync(path, 'r');
      try {
        n = readSync(fd, this.readBuf, 0, length, offset);
      } finally {
        closeSync(fd);
      }
    }
    let line: { text?: unknown };
    try {
      line = JSON.parse(this.readBuf.toString('utf8', 0, n)) as { text?: unknown };
    } catch (err) {
      throw new UserError(`unreadable response ${this.table.idOf(row)} at byte ${offset}: ${(err as Error).message}`, path);
    }
    if (typeof line.text !== 'string') throw new UserError(`response ${this.table.idOf(row)} at byte ${offset} has no text`, path);
    return line.text;
  }

  /**
   * Finds out which of these rows (one problem's) have equal texts, where not known yet:
   * digests first; texts are compared only where two digests match or one is unknown,
   * and read from disk unless `inMemory` has them.
   */
  private knowTwins(rows: readonly number[], inMemory?: ReadonlyMap<number, string>): void {
    const twin = this.table.cols.twin;
    if (rows.every((r) => twin[r]! >= 0)) return;
    const ordered = [...rows].sort((a, b) => a - b);
    const texts = new Map<number, string>();
    const text = (row: number) => {
      let t = inMemory?.get(row) ?? texts.get(row);
      if (t === undefined) texts.set(row, (t = this.readText(row)));
      return t;
    };
    const digest = this.table.cols.textDigest;
    const classes = textClasses(
      ordered.length,
      (i) => (digest[ordered[i]!] === UNKNOWN_DIGEST ? undefined : digest[ordered[i]!]),
      (i, j) => {
        const a = ordered[i]!;
        const b = ordered[j]!;
        return twin[a]! >= 0 && twin[b]! >= 0 ? twin[a] === twin[b] : text(a) === text(b);
      },
    );
    ordered.forEach((row, i) => void (twin[row] = ordered[classes[i]!]!));
  }

  /**
   * A plain response record whose `text` is read from disk the first time it is asked for,
   * then kept. The read model of a 100,000-problem run (bench/scale) then holds only the
   * texts something looked at (pairs, the inspector), not all 800,000: about 0.5 GB less
   * and half the time to open. `text` is an enumerable accessor, so spreads, JSON and
   * comparisons see an ordinary record.
   */
  private materialize(row: number): ResponseRecord {
    const record = this.table.meta(row) as ResponseRecord;
    Object.defineProperty(record, LAZY_TEXT, { value: { row, store: this, text: undefined } satisfies LazyText });
    Object.defineProperty(record, 'text', { get: lazyText, enumerable: true, configurable: true });
    return record;
  }

  // ---- writing

  private log(name: LogName): AppendLog {
    if (this.closed) throw new UserError('the project is closed', this.dir);
    const log = this.logs.get(name);
    if (!log) throw new UserError('the project was opened read-only', this.dir);
    return log;
  }

  /**
   * Appends responses; resolves once they are flushed to disk, and only then are they in the
   * index. A response whose id is already stored (or being stored) is ignored.
   */
  async appendResponses(rs: Response[]): Promise<void> {
    const log = this.log('responses');
    const fresh: ResponseRecord[] = [];
    for (const r of rs) {
      if (this.hasResponse(r.id) || this.pendingIds.has(r.id)) continue;
      // The structural check the open path uses (held equal to the schema); zod only explains a failure.
      const candidate = { kind: 'response' as const, ...r };
      const rec = isResponseRecord(candidate) ? toResponseRecord(candidate) : ResponseRecord.parse(candidate);
      this.pendingIds.add(rec.id);
      fresh.push(rec);
    }
    if (fresh.length === 0) return;
    try {
      const { bytes, lengths, digests } = encodeResponseLines(fresh);
      let offset = await log.append(bytes);
      this.advance('responses', log, fresh.length);
      // Which texts are equal is found out now, while these are in memory (one request's
      // samples of a problem, usually): otherwise the checkpoint at the end of a run, or
      // the first look at a Boundary problem, reads them back from disk to compare.
      const inMemory = new Map<number, string>();
      const problems = new Set<string>();
      for (let i = 0; i < fresh.length; i++) {
        const row = this.indexResponse(fresh[i]!, offset, lengths[i]!, digests[i]!);
        if (row >= 0) {
          inMemory.set(row, fresh[i]!.text);
          problems.add(fresh[i]!.problemId);
        }
        offset += lengths[i]!;
      }
      for (const id of problems) this.knowTwins(this.table.rowsOf(id), inMemory);
    } finally {
      for (const r of fresh) this.pendingIds.delete(r.id);
    }
  }

  /** Appends grades, PRM and reward scores, failures; the latest score of a response wins. */
  async appendScores(rs: ScoreLogRecord[]): Promise<void> {
    const log = this.log('scores');
    if (rs.length === 0) return;
    const valid = rs.map((r) => ScoreLogRecord.parse(r));
    await log.append(valid.map((r) => JSON.stringify(r) + '\n').join(''));
    this.advance('scores', log, valid.length);
    for (const r of valid) this.indexScore(r);
  }

  /**
   * Appends curator events to their authors' files; allowed on any open store, also while
   * another process holds the sampling lock. Resolves once they are on disk; the store's
   * events are then read again, so they include what other writers added meanwhile.
   */
  async appendEvents(es: CuratorEvent[]): Promise<void> {
    if (this.closed) throw new UserError('the project is closed', this.dir);
    if (es.length === 0) return;
    this.lineIssues.refuse(this.dir);
    const before = await eventFilesStamp(this.dir);
    const write = appendCuratorEvents(this.dir, es);
    this.eventWrites.add(write);
    let appended: Awaited<typeof write>;
    try {
      appended = await write;
    } finally {
      this.eventWrites.delete(write);
    }
    // When only these lines were added since the last read, they are placed without reading; else all is read again.
    const after = await eventFilesStamp(this.dir);
    const { sizes, events: written } = appended;
    const ours = new Set(sizes.keys());
    const onlyOurs =
      sameStamp(before, this.eventsStamp) &&
      sameStamp(after, before, ours) &&
      [...sizes].every(([f, s]) => (this.eventsStamp.has(f) ? this.eventsStamp.get(f)!.startsWith(`${s.before}:`) : s.before === 0) && after.get(f)?.startsWith(`${s.after}:`)) &&
      new Set(written.map((e) => e.id)).size === written.length &&
      written.every((e) => !this.eventList.some((x) => x.id === e.id));
    if (!onlyOurs) {
      this.eventsStamp = new Map();
      await this.reloadEvents();
      return;
    }
    const list = this.eventList.slice();
    for (const e of written) list.splice(mergedInsertIndex(list, e), 0, e);
    this.eventList = list;
    this.eventsStamp = after;
  }

  /** Replaces the settings snapshot atomically. */
  async updateSettings(s: RunSettings): Promise<void> {
    this.log('responses'); // writable check
    const checked = RunSettings.parse(s);
    await writeFileAtomic(join(this.dir, PROJECT_FILES.settings), JSON.stringify(checked, null, 2) + '\n');
    this.currentSettings = checked;
  }

  /** Writes the checkpoint now if anything was appended since the last one (the extension, after a run). */
  async checkpoint(): Promise<void> {
    if (!this.dirty || !this.lock || this.closed) return;
    this.dirty = false;
    await this.saveCheckpoint();
  }

  /** After an append resolved: the log's position, for the checkpoint. */
  private advance(name: LogName, log: AppendLog, lines: number): void {
    const line = (this.positions.get(name)?.line ?? 0) + lines;
    this.positions.set(name, { offset: Math.max(this.positions.get(name)?.offset ?? 0, log.bytes), line });
    this.dirty = true;
  }

  /** Waits for writes in flight, closes the files, writes the checkpoint if anything was appended, releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.eventWrites]);
    for (const log of this.logs.values()) await log.close();
    this.logs.clear();
    if (this.dirty && this.lock) await this.saveCheckpoint();
    await this.reader?.close();
    this.reader = null;
    await this.lock?.release();
  }
}
