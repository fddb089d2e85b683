import type { FileHandle } from 'node:fs/promises';
import { closeSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors';
import { RunSettings } from '../core/schema/settings';
import type { Problem } from '../core/schema/problem';
import type { Response } from '../core/schema/response';
import type { CuratorEvent } from '../core/schema/events';
import { ResponseRecord, ScoreLogRecord, type FailureRecord, type GradeRecord, type PrmRecord, type RewardRecord } from '../core/schema/records';
import type { ResponseFacts } from '../core/state/response-facts';
import { ProjectLock } from './lock';
import { AppendLog } from './log/append-log';
import type { InvalidLine, TornLine } from './log/scan-log';
import { isResponseRecord, toResponseRecord } from './log/response-check';
import { encodeResponseLines } from './log/response-lines';
import { ResponseTable, type ResponseTally } from './log/response-table';
import { ProblemFacts } from './log/problem-facts';
import { UNKNOWN_DIGEST } from './log/text-digest';
import { openRegular, openRegularSync, truncateRegular } from './folder/index';
import type { GitLogs } from './git-files';
import { PROJECT_FILES } from './project-files';
import { CHECKPOINTED, LOG_NAMES, ProjectIndex, type LogName } from './project-index';
import { loadCheckpoint, saveCheckpoint } from './project-checkpoint';
import { catchUpLogs } from './catch-up';
import { ProjectEvents } from './project-events';
import { createProjectFolder } from './new-project-folder';
import { readSettingsFile, writeSettingsFile } from './settings-file';

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

/** A folder's response texts are read through one handle; a closed store opens the file for each read. */
async function openResponses(dir: string): Promise<FileHandle> {
  return openRegular(join(dir, PROJECT_FILES.responses), 'read');
}

/**
 * A curation run's folder: settings snapshot, problems, and append-only logs of responses,
 * scores and curator events, with an in-memory index built on open (project-index.ts).
 * Every file of the folder is reached through src/store/folder/: never through a link,
 * never a device or FIFO, small files bounded before they are read.
 */
export class ProjectStore {
  /** Problems, responses without their texts, scores and failures, and how far each log was read. */
  private readonly index: ProjectIndex;
  private readonly curatorEvents: ProjectEvents;
  private readonly pendingIds = new Set<string>();
  private readonly logs = new Map<LogName, AppendLog>();
  /** Read handle on responses.jsonl for response texts. */
  private reader: FileHandle | null = null;
  private readBuf = Buffer.alloc(64 * 1024);
  /** How the last open read the logs: from the checkpoint or whole (for status and tests). */
  checkpointUse: CheckpointUse = { used: false, reason: 'new project' };
  /** Something was appended since opening: closing writes a new checkpoint. */
  private dirty = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    private currentSettings: RunSettings,
    private readonly lock: ProjectLock | null,
  ) {
    this.index = new ProjectIndex(dir, (row) => this.readText(row));
    this.curatorEvents = new ProjectEvents(dir, this.index.lineIssues);
  }

  private get table(): ResponseTable {
    return this.index.table;
  }

  private get problemList(): Problem[] {
    return this.index.problems;
  }

  private get failureList(): FailureRecord[] {
    return this.index.failures;
  }

  private get eventList(): readonly CuratorEvent[] {
    return this.curatorEvents.list;
  }

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
    const made = await createProjectFolder(dir, checked, problems, options.gitLogs ?? 'track');
    try {
      const store = new ProjectStore(dir, checked, made.lock);
      store.index.problems = made.problems;
      store.index.table = new ResponseTable(made.problems.map((p) => p.id));
      store.index.positions.set('problems', { offset: made.problemsBytes, line: made.problems.length });
      for (const name of LOG_NAMES) store.index.positions.set(name, { offset: 0, line: 0 });
      await store.openLogs(new Map(LOG_NAMES.map((n) => [n, 0])));
      return store;
    } catch (err) {
      await made.undo();
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
    const settings = await readSettingsFile(dir);
    const lock = opts.write ? await ProjectLock.acquire(dir) : null;
    const store = new ProjectStore(dir, settings, lock);
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
    const checkpoint = await loadCheckpoint(this.index);
    if (!checkpoint.used) this.checkpointUse = checkpoint;
    if (!this.index.positions.has('problems')) await this.index.loadProblems();

    const sizes = new Map<LogName, number>();
    let bytesAfter = 0;
    for (const name of CHECKPOINTED) {
      const from = this.index.positions.get(name);
      const r = await this.index.scan(name, { repair: false, ...(from ? { from } : {}) });
      if (r.torn) recovery.torn.push(r.torn);
      sizes.set(name, r.size);
      bytesAfter += r.size - (from?.offset ?? 0);
    }
    if (checkpoint.used) this.checkpointUse = { used: true, bytesAfter };
    recovery.torn.push(...(await this.curatorEvents.read()));
    // Nothing is changed (not even a torn tail cut) before a refusal.
    const issues = this.index.lineIssues;
    if (refuseInvalid) issues.refuse(this.dir);
    recovery.invalid.push(...issues.invalid);
    recovery.warnings.push(...issues.notes());
    this.reader = await openResponses(this.dir).catch(() => null);
    if (repair) {
      for (const name of CHECKPOINTED) {
        const path = join(this.dir, PROJECT_FILES[name]);
        if (recovery.torn.some((t) => t.file === path)) await truncateRegular(path, sizes.get(name)!);
      }
      await this.openLogs(sizes);
    }
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
    const logs = await catchUpLogs(this.index, touched);
    if (logs === 'reopen') return { result: 'reopen', problems: touched };
    const changed = (await this.reloadEvents()) || logs === 'updated';
    if (!this.reader) this.reader = await openResponses(this.dir).catch(() => null);
    return { result: changed ? 'updated' : 'unchanged', problems: touched };
  }

  private async openLogs(sizes: Map<LogName, number>): Promise<void> {
    for (const name of LOG_NAMES) this.logs.set(name, await AppendLog.open(join(this.dir, PROJECT_FILES[name]), sizes.get(name) ?? 0));
    this.reader ??= await openResponses(this.dir);
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
    return new ProblemFacts(this.table, this.table.rowsOf(problemId), (rows) => this.index.knowTwins(rows));
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
    return this.curatorEvents.reload();
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
      const fd = openRegularSync(path);
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
        const row = this.index.indexResponse(fresh[i]!, offset, lengths[i]!, digests[i]!);
        if (row >= 0) {
          inMemory.set(row, fresh[i]!.text);
          problems.add(fresh[i]!.problemId);
        }
        offset += lengths[i]!;
      }
      for (const id of problems) this.index.knowTwins(this.table.rowsOf(id), inMemory);
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
    for (const r of valid) this.index.indexScore(r);
  }

  /**
   * Appends curator events to their authors' files; allowed on any open store, also while
   * another process holds the sampling lock. Resolves once they are on disk; the store's
   * events are then read again, so they include what other writers added meanwhile.
   */
  async appendEvents(es: CuratorEvent[]): Promise<void> {
    if (this.closed) throw new UserError('the project is closed', this.dir);
    await this.curatorEvents.append(es);
  }

  /** Replaces the settings snapshot atomically. */
  async updateSettings(s: RunSettings): Promise<void> {
    this.log('responses'); // writable check
    this.currentSettings = await writeSettingsFile(this.dir, s);
  }

  /** Writes the checkpoint now if anything was appended since the last one (the extension, after a run). */
  async checkpoint(): Promise<void> {
    if (!this.dirty || !this.lock || this.closed) return;
    this.dirty = false;
    await saveCheckpoint(this.index);
  }

  /** After an append resolved: the log's position, for the checkpoint. */
  private advance(name: LogName, log: AppendLog, lines: number): void {
    const positions = this.index.positions;
    const line = (positions.get(name)?.line ?? 0) + lines;
    positions.set(name, { offset: Math.max(positions.get(name)?.offset ?? 0, log.bytes), line });
    this.dirty = true;
  }

  /** Waits for writes in flight, closes the files, writes the checkpoint if anything was appended, releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.curatorEvents.settled();
    for (const log of this.logs.values()) await log.close();
    this.logs.clear();
    if (this.dirty && this.lock) await saveCheckpoint(this.index);
    await this.reader?.close();
    this.reader = null;
    await this.lock?.release();
  }
}
