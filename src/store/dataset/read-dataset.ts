import { isUtf8 } from 'node:buffer';
import { basename } from 'node:path';
import { UserError } from '../../core/errors';
import type { Problem } from '../../core/schema/problem';
import { dataNameOf, detectLayout, rowToProblem, type DatasetLayout, type LayoutOverrides } from '../../core/dataset/index';
import { DEFAULT_MAX_LINE_BYTES, readLines } from './line-reader';
import { NotRegularFile, openRegular } from '../folder/index';
import { readArrayElements } from './json-array-reader';
import { duplicateProblemId } from '../log/problem-check';

export type BadLinePolicy = 'stop' | 'skip';

export interface ReadDatasetOptions extends LayoutOverrides {
  /** `stop`: throw at the first bad line. `skip`: drop bad lines and report each in `issues`. */
  badLines?: BadLinePolicy;
  /** Benchmark family for the grader; guessed from the file name when absent. */
  dataName?: string;
  /** Longest row accepted; longer rows are reported, never buffered whole. */
  maxLineBytes?: number;
}

export interface DatasetIssue {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based line where the row starts. */
  line: number;
  /** 1-based element number, for JSON-array files. */
  element?: number;
  reason: string;
  /** `file:line: reason`, ready to print. */
  message: string;
}

export type DatasetFormat = 'jsonl' | 'json-array';

/** A dataset file that cannot be used as it is; `issue` says where and why. */
export class DatasetError extends UserError {
  constructor(readonly issue: DatasetIssue) {
    super(issue.reason, where(issue));
    this.name = 'DatasetError';
  }
}

function where(i: Pick<DatasetIssue, 'file' | 'line' | 'element'>): string {
  return i.element === undefined ? `${i.file}:${i.line}` : `${i.file}:${i.line} (element ${i.element})`;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Streams the problems of a JSONL or JSON-array dataset. Iterate it once; afterwards
 * `issues`, `layout`, `format` and `rows` describe what was read.
 */
export class DatasetReader implements AsyncIterable<Problem> {
  readonly issues: DatasetIssue[] = [];
  layout: DatasetLayout | undefined;
  format: DatasetFormat | undefined;
  /** Rows seen, good or bad. */
  rows = 0;
  problemCount = 0;
  private readonly policy: BadLinePolicy;
  private readonly maxLineBytes: number;
  private readonly dataName: string | undefined;
  private readonly seen = new Map<string, number>();

  constructor(
    readonly path: string,
    private readonly opts: ReadDatasetOptions = {},
  ) {
    this.policy = opts.badLines ?? 'stop';
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.dataName = opts.dataName ?? dataNameOf(basename(path));
  }

  get errors(): DatasetIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }

  private issue(severity: DatasetIssue['severity'], line: number, reason: string, element?: number): void {
    const i: DatasetIssue = { severity, file: this.path, line, reason, message: '' };
    if (element !== undefined) i.element = element;
    i.message = `${where(i)}: ${reason}`;
    this.issues.push(i);
    // Structural problems (empty file, broken array) stop reading whatever the policy.
    if (severity === 'error' && this.policy === 'stop') throw new DatasetError(i);
  }

  private fatal(line: number, reason: string): never {
    const i: DatasetIssue = { severity: 'error', file: this.path, line, reason, message: `${this.path}:${line}: ${reason}` };
    this.issues.push(i);
    throw new DatasetError(i);
  }

  private started = false;

  async *[Symbol.asyncIterator](): AsyncGenerator<Problem> {
    // The counts and duplicate checks describe one pass over the file.
    if (this.started) throw new Error('a DatasetReader can be iterated once; call readDataset again');
    this.started = true;
    const head = Buffer.alloc(4096);
    let got: number;
    try {
      const fh = await openRegular(this.path, 'read', { follow: true });
      try {
        got = (await fh.read(head, 0, head.length, 0)).bytesRead;
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (err instanceof NotRegularFile && err.kind === 'folder') throw new UserError('is a directory, not a dataset file', this.path);
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a dataset file' : String(err), this.path);
    }
    const bom = got >= 3 && head.subarray(0, 3).equals(BOM);
    if (bom) this.issue('warning', 1, 'UTF-8 byte-order mark at the start of the file ignored');
    const first = head.subarray(bom ? 3 : 0, got).find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
    if (first === undefined && got < head.length) this.fatal(1, 'the file is empty: no problems');
    if (first === 0x5b) {
      this.format = 'json-array';
      yield* this.readArray(bom ? 3 : 0);
    } else {
      this.format = 'jsonl';
      yield* this.readJsonl(bom);
    }
    if (this.problemCount === 0) this.fatal(1, `no valid problems in the file (${this.rows} rows, all bad)`);
  }

  private async *readJsonl(bom: boolean): AsyncGenerator<Problem> {
    let crlfReported = false;
    for await (const l of readLines(this.path, { maxLineBytes: this.maxLineBytes })) {
      let bytes = l.line === 1 && bom ? l.bytes.subarray(3) : l.bytes;
      if (l.tooLong) {
        this.rows++;
        this.issue('error', l.line, `row is ${mb(l.length)}, over the ${mb(this.maxLineBytes)} limit for one row`);
        continue;
      }
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) {
        bytes = bytes.subarray(0, bytes.length - 1);
        if (!crlfReported) {
          crlfReported = true;
          this.issue('warning', l.line, 'Windows line endings (CRLF) accepted');
        }
      }
      if (bytes.every((b) => b === 0x20 || b === 0x09)) continue; // blank lines carry no row
      this.rows++;
      if (bytes.length >= 3 && bytes.subarray(0, 3).equals(BOM)) {
        this.issue('error', l.line, 'byte-order mark inside the file (were files concatenated?); remove it');
        continue;
      }
      const p = this.toProblem(bytes, l.line);
      if (p) yield p;
    }
  }

  private async *readArray(start: number): AsyncGenerator<Problem> {
    for await (const item of readArrayElements(this.path, this.maxLineBytes, start)) {
      if (item.kind === 'syntax') this.fatal(item.line, `invalid JSON array: ${item.reason}`);
      this.rows++;
      if (item.tooLong) {
        this.issue('error', item.line, `element is ${mb(item.length)}, over the ${mb(this.maxLineBytes)} limit for one row`, item.index);
        continue;
      }
      const p = this.toProblem(item.bytes, item.line, item.index);
      if (p) yield p;
    }
  }

  /** Decodes, parses and checks one row; reports and returns undefined when it is bad. */
  private toProblem(bytes: Buffer, line: number, element?: number): Problem | undefined {
    if (!isUtf8(bytes)) {
      const col = new TextDecoder('utf-8').decode(bytes).indexOf('\ufffd') + 1;
      this.issue('error', line, `not valid UTF-8 (first bad byte near column ${col}); save the file as UTF-8`, element);
      return undefined;
    }
    let row: unknown;
    try {
      row = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.issue('error', line, `invalid JSON: ${(err as Error).message}`, element);
      return undefined;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      const found = row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row;
      this.issue('error', line, `expected a JSON object, found ${found}`, element);
      return undefined;
    }
    if (!this.layout) {
      const detected = detectLayout(row as Record<string, unknown>, this.opts);
      if (!detected.ok) {
        this.issue('error', line, detected.reason, element);
        return undefined;
      }
      this.layout = detected.layout;
    }
    const result = rowToProblem(row, this.layout, { file: this.path, line: element ?? line }, this.dataName);
    if (!result.ok) {
      this.issue('error', line, result.reason, element);
      return undefined;
    }
    const firstLine = this.seen.get(result.problem.id);
    if (firstLine !== undefined) {
      this.issue('error', line, this.layout?.idField ? duplicateProblemId(result.problem.id, firstLine) : `duplicate problem (same question and answer), first seen on line ${firstLine}`, element);
      return undefined;
    }
    this.seen.set(result.problem.id, line);
    this.problemCount++;
    return result.problem;
  }
}

/** Streams a dataset's problems; see DatasetReader for what is reported. */
export function readDataset(path: string, opts: ReadDatasetOptions = {}): DatasetReader {
  return new DatasetReader(path, opts);
}
