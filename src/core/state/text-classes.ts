/**
 * For each of `count` texts, the position of the first one equal to it: two share a class
 * exactly when their texts are equal (what pairing needs to keep a response from its own
 * duplicate). `sameText(i, j)` is asked, and so a text read from disk, only where the
 * digests cannot tell the two apart: equal digests, or one unknown. `digestOf(i)`: the
 * digest of the i-th text (different digests, different texts), or undefined.
 */
export function textClasses(count: number, digestOf: (i: number) => number | undefined, sameText: (i: number, j: number) => boolean): number[] {
  const classes: number[] = [];
  /** Positions of the first text of each distinct text so far. */
  const firsts: number[] = [];
  for (let i = 0; i < count; i++) {
    const digest = digestOf(i);
    let same: number | undefined;
    for (const j of firsts) {
      const other = digestOf(j);
      if (digest !== undefined && other !== undefined && digest !== other) continue;
      if (sameText(i, j)) {
        same = j;
        break;
      }
    }
    if (same === undefined) firsts.push(i);
    classes.push(same ?? i);
  }
  return classes;
}
