import type { FileHandle } from 'node:fs/promises';
import { UserError } from '../../core/errors';
import { openRegular, truncateRegular } from '../folder/index';

/** Bytes read per step: large reads keep the syscalls few on a million-line log. */
const CHUNK_BYTES = 1 << 23;

/** Invalid lines kept per log for the message (their count is exact): a damaged file of millions of lines must not fill memory. */
const INVALID_KEPT = 20;

/** A last line without its `\n`, cut short by a crash: dropped, and reported. */
export interface TornLine {
  file: string;
  line: number;
  bytes: number;
}

/** A complete line that is not a valid record: kept in the file, skipped only by readers that report it; `hsstar repair` moves it aside. */
export interface InvalidLine {
  file: string;
  line: number;
  /** Where its bytes are, `\n` included. */
  offset: number;
  bytes: number;
  reason: string;
}

/** Complete, valid-looking lines of kinds this version does not know (a newer version's records): kept, skipped, noted once per log. */
export interface SkippedLines {
  file: string;
  count: number;
  kinds: string[];
  firstLine: number;
}

export interface ScanResult {
  /** Length of the content read, in bytes: up to a torn last line, or the end. */
  size: number;
  lines: number;
  torn: TornLine | null;
  /** The first few invalid lines, in order; `invalidCount` counts them all. */
  invalid: InvalidLine[];
  invalidCount: number;
  skipped: SkippedLines | null;
}

/** A record of a kind this version does not know: skipped, not invalid. */
export interface UnknownKind {
  unknownKind: string;
}

/** What a line handler says of a line: undefined when it is a record it took, a reason when it is not valid, or an unknown kind. */
export type LineVerdict = string | UnknownKind | undefined;

/** A line's bytes are `buf[start, end)`. */
export type LineHandler = (buf: Buffer, start: number, end: number, offset: number, line: number) => LineVerdict;

/** A LineHandler for lines that are parsed whole. */
export function jsonLines(onValue: (value: unknown, offset: number, length: number, line: number) => LineVerdict): LineHandler {
  return (buf, start, end, offset, line) => {
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', start, end));
    } catch (err) {
      return (err as Error).message;
    }
    return onValue(value, offset, end - start + 1, line);
  };
}

/**
 * Every record kind this version writes. A line that is an object whose `kind` is a string
 * not among them was written by a newer version: it is skipped (with a note), not invalid.
 * A known kind in the wrong log, or a line without a kind, is invalid.
 */
const KNOWN_KINDS: ReadonlySet<string> = new Set(['response', 'prm', 'reward', 'grade', 'failure', 'event']);

/** The line's kind when this version does not know it; else undefined. */
export function unknownKind(value: unknown): UnknownKind | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && !KNOWN_KINDS.has(kind) ? { unknownKind: kind } : undefined;
}

/**
 * Calls `onLine` with each complete line of a JSON-lines log and its byte offset. Only a
 * last line without its `\n` is torn (a write cut short): it is reported, and with
 * `repair` cut from the file. A complete line is never removed: one that `onLine` finds
 * invalid is returned in `invalid` (the caller reports it, or refuses to write; the first
 * `keepInvalid`, 20 by default), one of an unknown kind in `skipped`.
 */
export async function scanLog(path: string, onLine: LineHandler, opts: { repair: boolean; from?: { offset: number; line: number }; keepInvalid?: number }): Promise<ScanResult> {
  let fh: FileHandle;
  try {
    fh = await openRegular(path, 'read');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, lines: 0, torn: null, invalid: [], invalidCount: 0, skipped: null };
    throw err;
  }

  // Reading may resume after a prefix already read (a checkpoint, a followed log): offsets and line numbers continue from it.
  let lineNo = opts.from?.line ?? 0;
  let offset = opts.from?.offset ?? 0; // file offset of `carry`'s first byte
  let carry: Buffer | null = null;
  const invalid: InvalidLine[] = [];
  let invalidCount = 0;
  let skipped: SkippedLines | null = null;

  try {
    for (;;) {
      // Each chunk is a fresh buffer (handlers may keep slices of it) that starts with the
      // unfinished line of the one before: only that line is copied, not the whole chunk.
      const kept: number = carry?.length ?? 0;
      const chunk = Buffer.allocUnsafe(kept + CHUNK_BYTES);
      if (carry) carry.copy(chunk, 0);
      const { bytesRead } = await fh.read(chunk, kept, CHUNK_BYTES, offset + kept);
      if (bytesRead === 0) break;
      const filled: number = kept + bytesRead;
      const data = filled < chunk.length ? chunk.subarray(0, filled) : chunk;
      let from = 0;
      for (;;) {
        const nl = data.indexOf(10, from);
        if (nl < 0) break;
        lineNo++;
        const verdict = onLine(data, from, nl, offset + from, lineNo);
        if (typeof verdict === 'string') {
          if (invalidCount++ < (opts.keepInvalid ?? INVALID_KEPT)) invalid.push({ file: path, line: lineNo, offset: offset + from, bytes: nl - from + 1, reason: verdict });
        } else if (verdict) {
          skipped ??= { file: path, count: 0, kinds: [], firstLine: lineNo };
          skipped.count++;
          if (!skipped.kinds.includes(verdict.unknownKind) && skipped.kinds.length < 10) skipped.kinds.push(verdict.unknownKind);
        }
        from = nl + 1;
      }
      carry = from < filled ? data.subarray(from) : null;
      offset += from;
    }
  } finally {
    await fh.close();
  }

  const torn = carry ? { file: path, line: lineNo + 1, bytes: carry.length } : null;
  if (torn && opts.repair) await truncateRegular(path, offset);
  return { size: offset, lines: lineNo, torn, invalid, invalidCount, skipped };
}

/** The folder's invalid lines as one message naming each place (the first few) and the command that moves them aside. */
export function invalidLinesMessage(lines: readonly InvalidLine[], count: number, runDir: string): string {
  const shown = lines.slice(0, 3).map((l) => `${l.file}:${l.line}: not a valid record (${l.reason})`);
  const more = count > shown.length ? `; and ${count - shown.length} more invalid line${count - shown.length === 1 ? '' : 's'}` : '';
  return `${shown.join('; ')}${more}. The line is kept as it is; \`hsstar repair ${runDir}\` moves such lines, byte for byte, to the folder's quarantine/`;
}

/** Writing to a folder with invalid lines is refused: every later reader would stop at them, or miss them. */
export class InvalidLinesError extends UserError {
  constructor(
    readonly lines: readonly InvalidLine[],
    count: number,
    runDir: string,
  ) {
    super(invalidLinesMessage(lines, count, runDir));
    this.name = 'InvalidLinesError';
  }
}

/** The note for lines of unknown kinds, said once per log. */
export function skippedNote(s: SkippedLines): string {
  return `${s.file}:${s.firstLine}: ${s.count} record${s.count === 1 ? '' : 's'} of a kind this version does not know (${s.kinds.join(', ')}) skipped and kept; a newer version of HS-STaR Curator wrote ${s.count === 1 ? 'it' : 'them'}`;
}

/**
 * What a store's reads found that is not a record it took: invalid complete lines (of the
 * logs, kept over every read; of the events files, as last read) and lines of unknown
 * kinds. A reader reports them; a writer refuses (`refuse`), so the folder is never
 * written on top of a line nobody can read.
 */
export class LineIssues {
  private logInvalid: InvalidLine[] = [];
  private logInvalidCount = 0;
  private eventInvalid: InvalidLine[] = [];
  private eventInvalidCount = 0;
  private readonly logSkipped = new Map<string, SkippedLines>();
  private eventSkipped: SkippedLines[] = [];

  /** A log's lines read (from its start or after an earlier read). */
  addLog(r: Pick<ScanResult, 'invalid' | 'invalidCount' | 'skipped'>): void {
    for (const l of r.invalid) if (this.logInvalid.length < INVALID_KEPT) this.logInvalid.push(l);
    this.logInvalidCount += r.invalidCount;
    if (!r.skipped) return;
    const before = this.logSkipped.get(r.skipped.file);
    this.logSkipped.set(r.skipped.file, before ? { ...before, count: before.count + r.skipped.count, kinds: [...new Set([...before.kinds, ...r.skipped.kinds])] } : r.skipped);
  }

  /** The events files read again, whole. */
  setEvents(r: { invalid: InvalidLine[]; invalidCount: number; skipped: SkippedLines[] }): void {
    this.eventInvalid = r.invalid;
    this.eventInvalidCount = r.invalidCount;
    this.eventSkipped = r.skipped;
  }

  /** The invalid lines (the first few of each kind of file). */
  get invalid(): InvalidLine[] {
    return [...this.logInvalid, ...this.eventInvalid];
  }

  get invalidCount(): number {
    return this.logInvalidCount + this.eventInvalidCount;
  }

  /** The logs' lines of unknown kinds so far (a checkpoint keeps them with what it covers). */
  get skippedInLogs(): SkippedLines[] {
    return [...this.logSkipped.values()];
  }

  /** One note per file with lines of kinds this version does not know. */
  notes(): string[] {
    return [...this.logSkipped.values(), ...this.eventSkipped].map(skippedNote);
  }

  /** Throws the message that names each invalid line and `hsstar repair`, when there is one. */
  refuse(runDir: string): void {
    if (this.invalidCount > 0) throw new InvalidLinesError(this.invalid, this.invalidCount, runDir);
  }
}
