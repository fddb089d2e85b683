/** Strings kept once; an index into the list stands for each. The lookup map is built when first needed. */
export class StringTable {
  private at: Map<string, number> | null = null;
  constructor(readonly list: string[] = []) {}
  of(s: string): number {
    const at = this.numbers();
    let i = at.get(s);
    if (i === undefined) at.set(s, (i = this.list.push(s) - 1));
    return i;
  }
  /** The number of `s`, or -1 when the table does not hold it (nothing is added). */
  find(s: string): number {
    return this.numbers().get(s) ?? -1;
  }
  private numbers(): Map<string, number> {
    return (this.at ??= new Map(this.list.map((x, i) => [x, i])));
  }
}
