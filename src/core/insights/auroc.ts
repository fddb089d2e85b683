/**
 * Area under the ROC curve of a score separating positives from negatives: the chance that
 * a random positive scores above a random negative, ties counted half. Null when either
 * side is empty. Both sides are sorted once and walked together (O(n log n)), so it also
 * serves a whole run's responses.
 */
export function auroc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const pos = Float64Array.from(positives).sort();
  const neg = Float64Array.from(negatives).sort();
  let wins = 0;
  let below = 0; // negatives strictly below the current positive
  let upTo = 0; // negatives at or below it
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i]!;
    while (below < neg.length && neg[below]! < p) below++;
    if (upTo < below) upTo = below;
    while (upTo < neg.length && neg[upTo]! === p) upTo++;
    wins += below + (upTo - below) / 2;
  }
  return wins / (pos.length * neg.length);
}
