import { join } from 'node:path';
import { UserError } from '../core/errors';
import { Problem } from '../core/schema/problem';
import { ResponseRecord, ScoreLogRecord, type FailureRecord } from '../core/schema/records';
import { textClasses } from '../core/state/text-classes';
import { duplicateProblemId, isProblem } from './log/problem-check';
import { isResponseRecord, type ResponseRecordInput } from './log/response-check';
import { responseWithoutText } from './log/response-lines';
import { ResponseTable } from './log/response-table';
import { schemaIssues } from './log/schema-issues';
import { jsonLines, LineIssues, scanLog, unknownKind, type LineHandler, type LineVerdict } from './log/scan-log';
import { UNKNOWN_DIGEST } from './log/text-digest';
import type { LogPosition } from './log/checkpoint';
import { PROJECT_FILES } from './project-files';

/** The logs a run appends, under the sampling lock; curator events have their own writers. */
export const LOG_NAMES = ['responses', 'scores'] as const;
export type LogName = (typeof LOG_NAMES)[number];

/** The logs a checkpoint covers; events.jsonl is small and read whole every time. */
export const CHECKPOINTED = ['responses', 'scores'] as const;

/**
 * What a project folder's logs hold, in memory: the problems, the response table (every
 * response without its text, and its latest scores), the failures, and how far each log
 * has been read. Built from the logs line by line, or taken from the checkpoint.
 */
export class ProjectIndex {
  problems: Problem[] = [];
  /** Responses (without texts) and their latest scores, by row (response-table.ts). */
  table = new ResponseTable([]);
  failures: FailureRecord[] = [];
  /** How far each log has been read or written: the next byte and the lines before it. */
  readonly positions = new Map<LogName | 'problems', LogPosition>();
  /** While catching up: the problems whose responses or scores the new lines touched. */
  touched: Set<string> | null = null;
  /** Invalid lines and lines of unknown kinds the reads found (scan-log.ts): reported by a reader, refused by a writer. */
  readonly lineIssues = new LineIssues();

  constructor(
    readonly dir: string,
    /** The text of the response in a row, read from disk. */
    private readonly readText: (row: number) => string,
  ) {}

  async loadProblems(): Promise<void> {
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
        if (!r.success) return schemaIssues(r.error);
        return once(r.data, line);
      }),
      { repair: false },
    );
    // problems.jsonl is written whole before hsstar.json exists: a torn or bad line there is damage.
    const bad = p.invalid[0];
    if (bad) throw new UserError(`unreadable record (${bad.reason}); the file was changed outside HS-STaR Curator`, `${bad.file}:${bad.line}`);
    if (p.torn) throw new UserError('incomplete last line', `${problemsPath}:${p.torn.line}`);
    this.problems = problems;
    this.table = new ResponseTable(problems.map((x) => x.id));
    this.positions.set('problems', { offset: p.size, line: p.lines });
  }

  /** Reads a log from `from` (default its start) into the index; the position moves to its valid end. */
  async scan(name: (typeof CHECKPOINTED)[number], opts: { repair: boolean; from?: LogPosition }) {
    const onLine: LineHandler =
      name === 'responses' ? (buf, start, end, offset) => this.indexResponseLine(buf, start, end, offset) : jsonLines((v) => this.indexScoreLine(v));
    const r = await scanLog(join(this.dir, PROJECT_FILES[name]), onLine, opts);
    this.positions.set(name, { offset: r.size, line: r.lines });
    this.lineIssues.addLog(r);
    return r;
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
    if (!r.success) return schemaIssues(r.error);
    this.indexResponse(r.data, offset, length, digest);
    return undefined;
  }

  /** Its row; -1 for a duplicate line (an idempotent import), where the first wins. */
  indexResponse(r: ResponseRecordInput, offset: number, length: number, textDigest: number): number {
    const row = this.table.add(r, offset, length, textDigest);
    if (row >= 0) this.touched?.add(r.problemId);
    return row;
  }

  private indexScoreLine(v: unknown): LineVerdict {
    const unknown = unknownKind(v);
    if (unknown) return unknown;
    const r = ScoreLogRecord.safeParse(v);
    if (!r.success) return schemaIssues(r.error);
    this.indexScore(r.data);
    return undefined;
  }

  indexScore(r: ScoreLogRecord): void {
    if (this.touched && r.kind !== 'failure') {
      const row = this.table.rowOf(r.responseId);
      this.touched.add(row >= 0 ? this.table.problemOf(row) : r.responseId.slice(0, r.responseId.lastIndexOf(':')));
    }
    if (r.kind === 'failure') this.failures.push(r);
    else this.table.setScore(r);
  }

  /**
   * Finds out which of these rows (one problem's) have equal texts, where not known yet:
   * digests first; texts are compared only where two digests match or one is unknown,
   * and read from disk unless `inMemory` has them.
   */
  knowTwins(rows: readonly number[], inMemory?: ReadonlyMap<number, string>): void {
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
}
