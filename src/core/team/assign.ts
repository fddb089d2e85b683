import type { CuratorEvent } from '../schema/index';
import type { AssignmentItem } from '../schema/assignments';
import { derivedRandom, shuffled } from '../random';

/**
 * Spreads problems over annotators, each problem to `overlap` of them: the problems in a
 * seeded order, each given to the least loaded annotators, ties going to whoever shared
 * fewest problems with those already chosen (then to a seeded order). Loads differ by one
 * at most and the pairs of annotators share problems evenly (what Cohen's kappa needs).
 */
export function assignReviews(problemIds: readonly string[], annotators: readonly string[], overlap: number, seed: number): AssignmentItem[] {
  const order = shuffled(problemIds, derivedRandom(seed, 'assign'));
  const team = shuffled(annotators, derivedRandom(seed, 'assign-annotators'));
  const load = new Map(team.map((a) => [a, 0]));
  const shared = new Map<string, number>();
  const pair = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  return order.map((problemId) => {
    const chosen: string[] = [];
    while (chosen.length < overlap) {
      let best: string | null = null;
      let bestKey: [number, number] = [Infinity, Infinity];
      for (const a of team) {
        if (chosen.includes(a)) continue;
        const key: [number, number] = [load.get(a)!, chosen.reduce((n, c) => n + (shared.get(pair(a, c)) ?? 0), 0)];
        if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
          best = a;
          bestKey = key;
        }
      }
      for (const c of chosen) shared.set(pair(best!, c), (shared.get(pair(best!, c)) ?? 0) + 1);
      load.set(best!, load.get(best!)! + 1);
      chosen.push(best!);
    }
    return { problemId, annotators: chosen };
  });
}

/** Problems `author` has reviewed: a standing `reviewed` mark or a label decision of theirs. */
export function reviewedBy(events: readonly CuratorEvent[], author: string): Set<string> {
  const marked = new Map<string, boolean>();
  const decided = new Set<string>();
  for (const e of events) {
    if (e.author !== author) continue;
    if (e.type === 'reviewed') marked.set(e.problemId, e.reviewed);
    else if (e.type === 'label-override') decided.add(e.problemId);
    else if (e.type === 'label-clear') decided.delete(e.problemId);
  }
  for (const [id, on] of marked) if (on) decided.add(id);
  return decided;
}

/**
 * The next (or previous) problem assigned to `author` that they have not reviewed, from
 * `current` in review order; null when none is left that way, or none is assigned.
 */
export function nextAssigned(
  items: readonly AssignmentItem[],
  author: string,
  reviewed: ReadonlySet<string>,
  current: string,
  direction: 'next' | 'prev',
): string | null {
  const mine = items.filter((it) => it.annotators.includes(author)).map((it) => it.problemId);
  const at = mine.indexOf(current);
  const step = direction === 'next' ? 1 : -1;
  // Off the list (a problem not assigned to me): j starts at the top, k at the bottom.
  let i = at >= 0 ? at + step : direction === 'next' ? 0 : mine.length - 1;
  for (; i >= 0 && i < mine.length; i += step) if (!reviewed.has(mine[i]!)) return mine[i]!;
  return null;
}
