import type { ExtractionMethod } from '../../core/schema/grade';
import type { GradeRecord, PrmRecord, ResponseRecord, RewardRecord } from '../../core/schema/records';
import type { ResponseRecordInput } from './response-check';
import { allocate, COLUMN_NAMES, type Columns } from './response-columns';
import { isoMs } from './iso-time';
import { StringTable } from './string-table';

/**
 * The store's index of responses and their latest scores, one row per response in log
 * order, column by column: numbers in typed arrays, repeated strings once in a table, and a
 * response's id not stored at all when it is the usual `problemId:slot`. Opening a run of
 * 800,000 responses then builds no object per response (a checkpoint's columns are used as
 * they lie in its bytes, index-columns.ts), and a record is made only when something asks
 * for it. Scores of a response not (yet) indexed are kept aside, as records, and applied when
 * it arrives.
 */

/** Scores whose response is not indexed: applied when it is. */
export interface Orphans {
  grade?: GradeRecord;
  prm?: PrmRecord;
  reward?: RewardRecord;
}

/** Counts over responses: by stage, truncated, graded and correct, PRM- and reward-scored. */
export interface ResponseTally {
  total: number;
  pre: number;
  re: number;
  truncated: number;
  graded: number;
  correct: number;
  prmScored: number;
  rewardScored: number;
}

/** A response row as a record without its text. */
export type ResponseMeta = Omit<ResponseRecord, 'text'>;

export class ResponseTable {
  cols: Columns;
  /** Rows in use. */
  size = 0;
  /** PRM step scores of all rows, back to back (a score written again is appended; the old ones stay unused). */
  pool: Float64Array;
  poolSize = 0;
  /** S(r) and the weakest step per row, from the pool: derived, never stored. */
  minScore: Float64Array;
  minStep: Int32Array;
  readonly strings: StringTable;
  /** Problem keys: the dataset's ids, then ids that only responses name. */
  readonly problemKeys: string[];
  private readonly problemIndex: Map<string, number>;
  /** Rows of each problem key, by slot. */
  private readonly rowsByProblem: number[][];
  /** Rows whose id is not `problemId:slot`. */
  private readonly oddIds = new Map<string, number>();
  readonly orphans = new Map<string, Orphans>();
  grades = 0;
  prms = 0;
  rewards = 0;

  constructor(problemIds: readonly string[], loaded?: { cols: Columns; size: number; pool: Float64Array; poolSize: number; strings: string[]; extraProblems: string[] }) {
    this.problemKeys = [...problemIds, ...(loaded?.extraProblems ?? [])];
    this.problemIndex = new Map();
    for (let i = 0; i < this.problemKeys.length; i++) this.problemIndex.set(this.problemKeys[i]!, i);
    this.rowsByProblem = this.problemKeys.map(() => []);
    this.strings = new StringTable(loaded?.strings ?? []);
    this.cols = loaded?.cols ?? allocate(1024);
    this.size = loaded?.size ?? 0;
    this.pool = loaded?.pool ?? new Float64Array(4096);
    this.poolSize = loaded?.poolSize ?? 0;
    // Loaded columns may have room past `size` (index-columns.ts).
    this.minScore = new Float64Array(this.cols.problem.length);
    this.minStep = new Int32Array(this.cols.problem.length);
    const c = this.cols;
    for (let row = 0; row < this.size; row++) {
      this.insertByProblem(row);
      if (c.verdict[row]! >= 0) this.grades++;
      if (c.rewardModel[row]! >= 0) this.rewards++;
      if (c.oddId[row]! >= 0) this.oddIds.set(this.strings.list[c.oddId[row]!]!, row);
      this.setMin(row);
    }
    this.prms = this.countPrms();
  }

  private countPrms(): number {
    let n = 0;
    for (let row = 0; row < this.size; row++) if (this.cols.prmCount[row]! >= 0) n++;
    return n;
  }

  private setMin(row: number): void {
    const count = this.cols.prmCount[row]!;
    if (count <= 0) {
      this.minScore[row] = NaN;
      this.minStep[row] = -1;
      return;
    }
    const start = this.cols.prmStart[row]!;
    let at = 0;
    for (let i = 1; i < count; i++) if (this.pool[start + i]! < this.pool[start + at]!) at = i;
    this.minScore[row] = this.pool[start + at]!;
    this.minStep[row] = at;
  }

  private insertByProblem(row: number): void {
    const list = this.rowsByProblem[this.cols.problem[row]!]!;
    const slot = this.cols.slot[row]!;
    let i = list.length;
    while (i > 0 && this.cols.slot[list[i - 1]!]! > slot) i--;
    if (i === list.length) list.push(row);
    else list.splice(i, 0, row);
  }

  private problemKey(id: string): number {
    let k = this.problemIndex.get(id);
    if (k === undefined) {
      k = this.problemKeys.push(id) - 1;
      this.problemIndex.set(id, k);
      this.rowsByProblem.push([]);
    }
    return k;
  }

  /** Problem keys past the dataset's (for the checkpoint). */
  extraProblems(datasetSize: number): string[] {
    return this.problemKeys.slice(datasetSize);
  }

  /** Room for half as many rows again (a table loaded from a checkpoint comes with room of its own). */
  private grow(): void {
    const capacity = this.size + Math.max(1024, this.size >> 1);
    const next = allocate(capacity);
    for (const name of COLUMN_NAMES) (next[name] as { set(a: ArrayLike<number>): void }).set(this.cols[name].subarray(0, this.size));
    this.cols = next;
    const min = new Float64Array(capacity);
    min.set(this.minScore.subarray(0, this.size));
    this.minScore = min;
    const step = new Int32Array(capacity);
    step.set(this.minStep.subarray(0, this.size));
    this.minStep = step;
  }

  /** The last id found, and its row: a response's grade and PRM lines usually follow each other. */
  private lastId = '';
  private lastRow = -1;

  /** The row of a response id; -1 when it is not indexed. */
  rowOf(id: string): number {
    if (id === this.lastId) return this.lastRow;
    const row = this.oddIds.get(id) ?? this.conventionalRowOf(id);
    // Only rows found are remembered: rows never go away, an id not found may arrive later.
    if (row >= 0) {
      this.lastId = id;
      this.lastRow = row;
    }
    return row;
  }

  /** The row of the problem key's response in `slot` whose id is `problemId:slot`; -1 when none. */
  private conventionalRowIn(key: number, slot: number): number {
    // The rows are by slot, and a new one is usually the highest: look from the end.
    const rows = this.rowsByProblem[key]!;
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i]!;
      const s = this.cols.slot[row]!;
      if (s < slot) break;
      if (s === slot && this.cols.oddId[row] === -1) return row;
    }
    return -1;
  }

  /** The row whose id is `id` as `problemId:slot`; -1 when none. */
  conventionalRowOf(id: string): number {
    const colon = id.lastIndexOf(':');
    if (colon < 1) return -1;
    const k = this.problemIndex.get(id.slice(0, colon));
    if (k === undefined) return -1;
    const slotText = id.slice(colon + 1);
    const slot = Number(slotText);
    // `p:01` or `p:1.0` is not the id `p:1` writes.
    return String(slot) === slotText ? this.conventionalRowIn(k, slot) : -1;
  }

  /** Whether two rows of one problem with ids `problemId:slot` have the same slot (two rows with one id). */
  slotsRepeat(): boolean {
    for (const list of this.rowsByProblem) {
      let last = -1; // slot of the last row with a `problemId:slot` id (rows are by slot)
      for (const row of list) {
        if (this.cols.oddId[row] !== -1) continue;
        if (this.cols.slot[row] === last) return true;
        last = this.cols.slot[row]!;
      }
    }
    return false;
  }

  /** What the rows of these problems hold, counted from the columns (for status displays). */
  tally(problemIds: readonly string[]): ResponseTally {
    const t: ResponseTally = { total: 0, pre: 0, re: 0, truncated: 0, graded: 0, correct: 0, prmScored: 0, rewardScored: 0 };
    const c = this.cols;
    const length = this.strings.list.indexOf('length');
    for (const id of problemIds) {
      for (const row of this.rowsOf(id)) {
        t.total++;
        if (c.stage[row] === 0) t.pre++;
        else t.re++;
        if (length >= 0 && c.finishReason[row] === length) t.truncated++;
        if (c.verdict[row]! >= 0) {
          t.graded++;
          if (c.verdict[row] === 1) t.correct++;
        }
        if (c.prmCount[row]! >= 0) t.prmScored++;
        if (c.rewardModel[row]! >= 0) t.rewardScored++;
      }
    }
    return t;
  }

  /** Rows of a problem, by slot (empty when it has none). */
  rowsOf(problemId: string): readonly number[] {
    const k = this.problemIndex.get(problemId);
    return k === undefined ? [] : this.rowsByProblem[k]!;
  }

  /** Whether every row of the problem has a grade from this grader version, from the columns alone. */
  gradedBy(problemId: string, grader: string): boolean {
    const rows = this.rowsOf(problemId);
    if (rows.length === 0) return true;
    const g = this.strings.find(grader);
    const c = this.cols;
    for (const row of rows) if (c.verdict[row]! < 0 || c.grader[row] !== g) return false;
    return true;
  }

  idOf(row: number): string {
    const odd = this.cols.oddId[row]!;
    return odd >= 0 ? this.strings.list[odd]! : `${this.problemKeys[this.cols.problem[row]!]!}:${this.cols.slot[row]!}`;
  }

  problemOf(row: number): string {
    return this.problemKeys[this.cols.problem[row]!]!;
  }

  /** Indexes a response (the first line of an id wins); its row, or -1 for a duplicate. */
  add(r: ResponseRecordInput, offset: number, length: number, textDigest: number): number {
    const key = this.problemKey(r.problemId);
    const conventional = r.id === `${r.problemId}:${r.slot}`;
    if (conventional ? this.oddIds.has(r.id) || this.conventionalRowIn(key, r.slot) >= 0 : this.rowOf(r.id) >= 0) return -1;
    if (this.size === this.cols.problem.length) this.grow();
    const row = this.size++;
    const c = this.cols;
    const s = this.strings;
    c.problem[row] = key;
    c.slot[row] = r.slot;
    c.stage[row] = r.stage === 'pre' ? 0 : 1;
    c.finishReason[row] = r.finishReason === null ? -1 : s.of(r.finishReason);
    c.prompt[row] = r.usage.prompt;
    c.completion[row] = r.usage.completion;
    c.model[row] = s.of(r.model);
    c.latencyMs[row] = r.latencyMs;
    const ms = isoMs(r.at);
    c.at[row] = ms === null ? s.of(r.at) : -1;
    c.atMs[row] = ms ?? 0;
    c.round[row] = r.round ?? 0;
    c.offset[row] = offset;
    c.length[row] = length;
    c.textDigest[row] = textDigest;
    c.oddId[row] = conventional ? -1 : s.of(r.id);
    if (c.oddId[row]! >= 0) this.oddIds.set(r.id, row);
    c.twin[row] = -1;
    c.verdict[row] = -1;
    c.prmCount[row] = -1;
    c.reward[row] = NaN;
    c.rewardModel[row] = -1;
    this.minScore[row] = NaN;
    this.minStep[row] = -1;
    this.insertByProblem(row);
    const waiting = this.orphans.get(r.id);
    if (waiting) {
      // Counted once already, as orphans.
      this.orphans.delete(r.id);
      if (waiting.grade) (this.grades--, this.setGrade(waiting.grade));
      if (waiting.prm) (this.prms--, this.setPrm(waiting.prm));
      if (waiting.reward) (this.rewards--, this.setReward(waiting.reward));
    }
    return row;
  }

  /** Keeps a score whose response is not indexed yet (its line may come later); true if it is the first of its kind. */
  private holdOrphan<K extends keyof Orphans>(id: string, kind: K, record: NonNullable<Orphans[K]>): boolean {
    let o = this.orphans.get(id);
    if (!o) this.orphans.set(id, (o = {}));
    const first = o[kind] === undefined;
    o[kind] = record;
    return first;
  }

  /** A grade, PRM or reward score: the latest of each kind for a response wins. */
  setScore(r: GradeRecord | PrmRecord | RewardRecord): void {
    if (r.kind === 'grade') this.setGrade(r);
    else if (r.kind === 'prm') this.setPrm(r);
    else this.setReward(r);
  }

  setGrade(g: GradeRecord): void {
    const row = this.rowOf(g.responseId);
    if (row < 0) {
      if (this.holdOrphan(g.responseId, 'grade', g)) this.grades++;
      return;
    }
    const c = this.cols;
    if (c.verdict[row]! < 0) this.grades++;
    c.verdict[row] = g.correct ? 1 : 0;
    c.extracted[row] = g.extracted === null ? -1 : this.strings.of(g.extracted);
    c.method[row] = this.strings.of(g.method);
    c.grader[row] = this.strings.of(g.grader);
  }

  setPrm(p: PrmRecord): void {
    const row = this.rowOf(p.responseId);
    if (row < 0) {
      if (this.holdOrphan(p.responseId, 'prm', p)) this.prms++;
      return;
    }
    const c = this.cols;
    if (c.prmCount[row]! < 0) this.prms++;
    if (this.poolSize + p.scores.length > this.pool.length) {
      const next = new Float64Array(Math.max(this.pool.length * 2, this.poolSize + p.scores.length));
      next.set(this.pool.subarray(0, this.poolSize));
      this.pool = next;
    }
    this.pool.set(p.scores, this.poolSize);
    c.prmStart[row] = this.poolSize;
    c.prmCount[row] = p.scores.length;
    c.prmModel[row] = this.strings.of(p.model);
    this.poolSize += p.scores.length;
    this.setMin(row);
  }

  setReward(r: RewardRecord): void {
    const row = this.rowOf(r.responseId);
    if (row < 0) {
      if (this.holdOrphan(r.responseId, 'reward', r)) this.rewards++;
      return;
    }
    if (this.cols.rewardModel[row]! < 0) this.rewards++;
    this.cols.reward[row] = r.score;
    this.cols.rewardModel[row] = this.strings.of(r.model);
  }

  /** The last date written back, and its milliseconds: the responses of one request share their time. */
  private lastMs = NaN;
  private lastIso = '';

  private isoOf(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  /** The row as a record without its text, keys in the order the log writes them. */
  meta(row: number): ResponseMeta {
    const c = this.cols;
    const s = this.strings.list;
    const f = c.finishReason[row]!;
    const at = c.at[row]!;
    return {
      kind: 'response',
      id: this.idOf(row),
      problemId: this.problemKeys[c.problem[row]!]!,
      slot: c.slot[row]!,
      stage: c.stage[row] === 0 ? 'pre' : 're',
      finishReason: f < 0 ? null : s[f]!,
      usage: { prompt: c.prompt[row]!, completion: c.completion[row]! },
      model: s[c.model[row]!]!,
      latencyMs: c.latencyMs[row]!,
      at: at < 0 ? this.isoOf(c.atMs[row]!) : s[at]!,
      round: c.round[row]!,
    };
  }

  grade(id: string): GradeRecord | undefined {
    const row = this.rowOf(id);
    if (row < 0) return this.orphans.get(id)?.grade;
    const c = this.cols;
    if (c.verdict[row]! < 0) return undefined;
    const s = this.strings.list;
    const x = c.extracted[row]!;
    return { kind: 'grade', responseId: id, extracted: x < 0 ? null : s[x]!, method: s[c.method[row]!]! as ExtractionMethod, correct: c.verdict[row] === 1, grader: s[c.grader[row]!]! };
  }

  prm(id: string): PrmRecord | undefined {
    const row = this.rowOf(id);
    if (row < 0) return this.orphans.get(id)?.prm;
    const count = this.cols.prmCount[row]!;
    if (count < 0) return undefined;
    const start = this.cols.prmStart[row]!;
    return { kind: 'prm', responseId: id, scores: Array.from(this.pool.subarray(start, start + count)), model: this.strings.list[this.cols.prmModel[row]!]! };
  }

  reward(id: string): RewardRecord | undefined {
    const row = this.rowOf(id);
    if (row < 0) return this.orphans.get(id)?.reward;
    const model = this.cols.rewardModel[row]!;
    return model < 0 ? undefined : { kind: 'reward', responseId: id, score: this.cols.reward[row]!, model: this.strings.list[model]! };
  }
}
