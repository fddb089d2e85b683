import type { ResponseFacts } from '../../core/state/response-facts';
import type { ResponseTable } from './response-table';

/** One problem's responses as derivation reads them, answered from the index's columns (ResponseFacts). */
export class ProblemFacts implements ResponseFacts {
  private twinsKnown = false;
  constructor(
    private readonly table: ResponseTable,
    /** The problem's rows, by slot. */
    private readonly rows: readonly number[],
    /** Finds out which of the rows have equal texts (fills the table's twin column). */
    private readonly knowTwins: (rows: readonly number[]) => void,
  ) {}

  get count(): number {
    return this.rows.length;
  }

  id(i: number): string {
    return this.table.idOf(this.rows[i]!);
  }

  slot(i: number): number {
    return this.table.cols.slot[this.rows[i]!]!;
  }

  correct(i: number): boolean | null {
    const v = this.table.cols.verdict[this.rows[i]!]!;
    return v < 0 ? null : v === 1;
  }

  answered(i: number): boolean {
    const row = this.rows[i]!;
    return this.table.cols.verdict[row]! >= 0 && this.table.cols.extracted[row]! >= 0;
  }

  minScore(i: number): number | null {
    const s = this.table.minScore[this.rows[i]!]!;
    return Number.isNaN(s) ? null : s;
  }

  reward(i: number): number | null {
    const row = this.rows[i]!;
    return this.table.cols.rewardModel[row]! < 0 ? null : this.table.cols.reward[row]!;
  }

  truncated(i: number): boolean {
    const f = this.table.cols.finishReason[this.rows[i]!]!;
    return f >= 0 && this.table.strings.list[f] === 'length';
  }

  textClass(i: number): number {
    if (!this.twinsKnown) {
      this.knowTwins(this.rows);
      this.twinsKnown = true;
    }
    return this.table.cols.twin[this.rows[i]!]!;
  }
}
