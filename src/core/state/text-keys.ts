import type { Response } from '../schema/index';

/**
 * For each response, a key that two of them share exactly when their texts are equal (what
 * pairing needs to keep a response from its own duplicate). Texts are compared, and so read
 * from disk, only where the digests cannot tell them apart: equal digests, or one unknown.
 * `digestOf(i)`: the digest of the i-th response's text (different digests, different
 * texts), or undefined.
 */
export function textKeys(responses: readonly Response[], digestOf: (i: number) => number | undefined): string[] {
  return textClasses(responses.length, digestOf, (i, j) => responses[i]!.text === responses[j]!.text).map((j) => `#${j}`);
}

/**
 * For each of `count` texts, the position of the first one equal to it. `sameText(i, j)` is
 * asked only where the digests cannot tell the two apart.
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
