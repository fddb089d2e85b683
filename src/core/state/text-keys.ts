import type { Response } from '../schema/index';

/**
 * For each response, a key that two of them share exactly when their texts are equal (what
 * pairing needs to keep a response from its own duplicate). Texts are compared, and so read
 * from disk, only where the digests cannot tell them apart: equal digests, or one unknown.
 * `digestOf(i)`: the digest of the i-th response's text (different digests, different
 * texts), or undefined.
 */
export function textKeys(responses: readonly Response[], digestOf: (i: number) => number | undefined): string[] {
  const keys: string[] = [];
  /** Positions of the first response of each distinct text so far. */
  const firsts: number[] = [];
  for (let i = 0; i < responses.length; i++) {
    const digest = digestOf(i);
    let same: number | undefined;
    for (const j of firsts) {
      const other = digestOf(j);
      if (digest !== undefined && other !== undefined && digest !== other) continue;
      if (responses[i]!.text === responses[j]!.text) {
        same = j;
        break;
      }
    }
    if (same === undefined) firsts.push(i);
    keys.push(`#${same ?? i}`);
  }
  return keys;
}
