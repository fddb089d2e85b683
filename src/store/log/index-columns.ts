import { z } from 'zod';
import type { Problem } from '../../core/schema/problem';
import { isProblem } from './problem-check';
import { ExtractionMethod } from '../../core/schema/grade';
import { FailureRecord, GradeRecord, PrmRecord, RewardRecord } from '../../core/schema/records';
import { COLUMN_NAMES, COLUMN_TYPES, type Columns } from './response-columns';
import { ResponseTable } from './response-table';
import type { SkippedLines } from './scan-log';

/**
 * The store's index as a checkpoint holds it: a small JSON part (the problems, failures,
 * the string table, scores of responses not indexed) and the response table's columns as
 * raw little-endian bytes, then the PRM score pool. Reading it back reads those bytes into
 * the table's typed arrays: no object per response, no parsing.
 * The file is outside data like the logs: the JSON part goes through zod (the problems
 * through isProblem, held equal to it), every column value through a check of its range,
 * and a file that fails any is damaged.
 */

/** The JSON part of the checkpoint's payload. */
export interface IndexHead {
  problems: Problem[];
  failures: FailureRecord[];
  strings: string[];
  extraProblems: string[];
  orphans: (GradeRecord | PrmRecord | RewardRecord)[];
  rows: number;
  poolSize: number;
  /** Lines of kinds this version does not know in the covered logs: their note is given as when the lines are read. */
  skipped?: SkippedLines[];
}

const Orphan = z.discriminatedUnion('kind', [GradeRecord, PrmRecord, RewardRecord]);
/** The problems are checked by isProblem (the schema's checks, written out): zod took 0.15 s of a 100,000-problem open. */
const Head = z.object({
  problems: z.custom<Problem[]>((v) => Array.isArray(v) && v.every(isProblem)),
  failures: z.array(FailureRecord),
  strings: z.array(z.string()),
  extraProblems: z.array(z.string()),
  orphans: z.array(Orphan),
  rows: z.number().int().nonnegative(),
  poolSize: z.number().int().nonnegative(),
  skipped: z.array(z.object({ file: z.string(), count: z.number().int().positive(), kinds: z.array(z.string()), firstLine: z.number().int().positive() })).optional(),
});

const bytesOf = (a: ArrayBufferView, length = a.byteLength) => new Uint8Array(a.buffer, a.byteOffset, length);

/** The checkpoint's head and segments (each column's rows in use, then the PRM score pool): views on the table's memory, no copy. */
export function encodeIndex(table: ResponseTable, problems: Problem[], failures: FailureRecord[], skipped: SkippedLines[] = []): { head: IndexHead; segments: Uint8Array[] } {
  const rows = table.size;
  const segments = COLUMN_NAMES.map((name) => bytesOf(table.cols[name], rows * COLUMN_TYPES[name].BYTES_PER_ELEMENT));
  segments.push(bytesOf(table.pool, table.poolSize * 8));
  const orphans: IndexHead['orphans'] = [];
  for (const o of table.orphans.values()) for (const r of [o.grade, o.prm, o.reward]) if (r) orphans.push(r);
  return {
    head: { problems, failures, strings: table.strings.list, extraProblems: table.extraProblems(problems.length), orphans, rows, poolSize: table.poolSize, skipped },
    segments,
  };
}

/** What decoding gives: the index, with the problems and failures. */
export interface DecodedIndex {
  table: ResponseTable;
  problems: Problem[];
  failures: FailureRecord[];
  skipped: SkippedLines[];
}

/**
 * Where a checkpoint's segments are read to, for its head: the table's own columns, with
 * room for an eighth more rows (a follower appends without copying them at once); then
 * `decode()` checks every value and gives the index, or null when anything is not what
 * encodeIndex writes (the checkpoint is damaged). Null at once when the head is not.
 */
export function indexInto(rawHead: unknown, bytesLeft: number): { segments: Uint8Array[]; value: () => DecodedIndex | null } | null {
  const parsed = Head.safeParse(rawHead);
  if (!parsed.success) return null;
  const head = parsed.data;
  const { rows, poolSize } = head;
  // A head that claims more rows than the file holds is damaged: nothing is allocated for it.
  const rowBytes = COLUMN_NAMES.reduce((n, name) => n + COLUMN_TYPES[name].BYTES_PER_ELEMENT, 0);
  if (rows * rowBytes + poolSize * 8 > bytesLeft) return null;
  const capacity = rows + Math.max(1024, rows >> 3);
  const cols = {} as Record<string, ArrayBufferView>;
  for (const name of COLUMN_NAMES) cols[name] = new COLUMN_TYPES[name](capacity);
  const pool = new Float64Array(poolSize + Math.max(4096, poolSize >> 3));
  const segments = COLUMN_NAMES.map((name) => bytesOf(cols[name]!, rows * COLUMN_TYPES[name].BYTES_PER_ELEMENT));
  segments.push(bytesOf(pool, poolSize * 8));
  return { segments, value: () => decodeIndex(head, cols as unknown as Columns, pool) };
}

function decodeIndex(head: z.infer<typeof Head>, c: Columns, pool: Float64Array): DecodedIndex | null {
  const { rows, poolSize } = head;
  const problemIds = head.problems.map((p) => p.id);
  if (!columnsInRange(c, rows, pool.subarray(0, poolSize), head.strings, problemIds.length + head.extraProblems.length)) return null;
  const keys = new Set([...problemIds, ...head.extraProblems]);
  if (keys.size !== problemIds.length + head.extraProblems.length) return null;
  const table = new ResponseTable(problemIds, { cols: c, size: rows, pool, poolSize, strings: head.strings, extraProblems: head.extraProblems });
  if (!idsUnique(table)) return null;
  for (const o of head.orphans) {
    if (table.rowOf(o.responseId) >= 0) return null;
    table.setScore(o);
  }
  return { table, problems: head.problems, failures: head.failures, skipped: head.skipped ?? [] };
}

const LATEST_DATE_MS = 8.64e15;

/** Every value of every column within what the schemas and the table allow (column by column: tight loops over typed arrays). */
function columnsInRange(c: Columns, rows: number, pool: Float64Array, strings: readonly string[], problemKeys: number): boolean {
  const size = strings.length;
  const below = (a: ArrayLike<number>, limit: number, least = 0) => {
    for (let i = 0; i < rows; i++) if (!(a[i]! >= least && a[i]! < limit)) return false;
    return true;
  };
  const counts = (a: Float64Array) => {
    for (let i = 0; i < rows; i++) if (!(a[i]! >= 0 && a[i]! <= Number.MAX_SAFE_INTEGER && Math.floor(a[i]!) === a[i])) return false;
    return true;
  };
  if (!below(c.problem, problemKeys) || !below(c.stage, 2) || !below(c.model, size) || !below(c.finishReason, size, -1) || !below(c.at, size, -1) || !below(c.oddId, size, -1)) return false;
  if (![c.slot, c.prompt, c.completion, c.round, c.offset, c.length].every(counts)) return false;
  if (!below(c.latencyMs, Infinity) || !below(c.verdict, 2, -1) || !below(c.prmCount, 0x7fffffff, -1) || !below(c.rewardModel, size, -1)) return false;
  const methods = new Set<number>();
  for (let i = 0; i < rows; i++) {
    if (c.at[i] === -1 && !(Math.abs(c.atMs[i]!) <= LATEST_DATE_MS)) return false;
    const digest = c.textDigest[i]!;
    if (digest !== -1 && !(digest >= 0 && digest <= Number.MAX_SAFE_INTEGER && Math.floor(digest) === digest)) return false;
    const twin = c.twin[i]!;
    // The first row of a text is its own: no chains, and never across problems.
    if (twin < -1 || twin > i || (twin >= 0 && (c.problem[twin] !== c.problem[i] || c.twin[twin] !== twin))) return false;
    if (c.verdict[i]! >= 0) {
      if (c.extracted[i]! < -1 || c.extracted[i]! >= size || c.method[i]! >= size || c.grader[i]! >= size) return false;
      methods.add(c.method[i]!);
    }
    const n = c.prmCount[i]!;
    if (n >= 0 && !(c.prmStart[i]! >= 0 && Math.floor(c.prmStart[i]!) === c.prmStart[i] && c.prmStart[i]! + n <= pool.length && c.prmModel[i]! < size)) return false;
    if (c.rewardModel[i]! >= 0 && !Number.isFinite(c.reward[i]!)) return false;
  }
  for (const m of methods) if (!ExtractionMethod.safeParse(strings[m]).success) return false;
  for (let i = 0; i < pool.length; i++) if (!(pool[i]! >= 0 && pool[i]! <= 1)) return false;
  return true;
}

/** No two rows with one id (the logs' first line of an id wins, so the full read never gives two). */
function idsUnique(t: ResponseTable): boolean {
  const odd = new Set<string>();
  for (let row = 0; row < t.size; row++) {
    if (t.cols.oddId[row]! < 0) continue;
    const id = t.idOf(row);
    if (odd.has(id) || t.conventionalRowOf(id) >= 0) return false;
    odd.add(id);
  }
  return !t.slotsRepeat();
}
