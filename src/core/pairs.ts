import { pairKey, type CuratorEvent, type Pair } from './schema/index';
import { derivedRandom, seededRandom, shuffled } from './random';

/** Stage 3 (METHOD.md): correct × incorrect preference pairs for one Boundary problem. */

export interface PairCandidate {
  id: string;
  text: string;
  correct: boolean;
  /** Ranking score: S(r) or the reward model's score; null sorts last. */
  score: number | null;
}

/** Highest score first; ties and unscored keep their order (slot order), so the result is stable. */
function ranked(candidates: PairCandidate[]): PairCandidate[] {
  return candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const sa = a.c.score ?? -Infinity;
      const sb = b.c.score ?? -Infinity;
      return sb - sa || a.i - b.i;
    })
    .map((x) => x.c);
}

/** Identical texts count once (the best-ranked copy), so a response never pairs with its own duplicate. */
function distinctTexts(candidates: PairCandidate[]): PairCandidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => (seen.has(c.text) ? false : (seen.add(c.text), true)));
}

export function autoPairs(problemId: string, candidates: readonly PairCandidate[], seed: number): Pair[] {
  const correct = distinctTexts(ranked(candidates.filter((c) => c.correct)));
  const incorrect = distinctTexts(ranked(candidates.filter((c) => !c.correct)));
  const k = Math.min(correct.length, incorrect.length);
  if (k === 0) return [];
  const chosen = shuffled(correct.slice(0, k), derivedRandom(seed, `${problemId}:chosen`));
  const rejected = shuffled(incorrect.slice(0, k), derivedRandom(seed, `${problemId}:rejected`));
  const pairs: Pair[] = [];
  for (let i = 0; i < k; i++) {
    const c = chosen[i]!;
    const r = rejected[i]!;
    if (c.text === r.text) continue;
    pairs.push({
      problemId,
      chosenId: c.id,
      rejectedId: r.id,
      chosenScore: c.score,
      rejectedScore: r.score,
      origin: 'auto',
      pinned: false,
    });
  }
  return pairs;
}

export type PairEditEvent = Extract<CuratorEvent, { type: 'pair-drop' | 'pair-swap' | 'pair-add' | 'pair-pin' }>;

export function isPairEdit(e: CuratorEvent): e is PairEditEvent {
  return e.type === 'pair-drop' || e.type === 'pair-swap' || e.type === 'pair-add' || e.type === 'pair-pin';
}

/**
 * The curator's pair edits, in log order, on top of the automatic pairs. Undone events
 * must already be filtered out. A pinned pair stays even when the automatic pairs change.
 */
export function applyPairEdits(
  problemId: string,
  pairs: readonly Pair[],
  edits: readonly PairEditEvent[],
  scoreOf: (responseId: string) => number | null,
): Pair[] {
  const byKey = new Map<string, Pair>();
  for (const p of pairs) byKey.set(pairKey(p), p);
  const curated = (chosenId: string, rejectedId: string, pinned: boolean): Pair => ({
    problemId,
    chosenId,
    rejectedId,
    chosenScore: scoreOf(chosenId),
    rejectedScore: scoreOf(rejectedId),
    origin: 'curator',
    pinned,
  });
  for (const e of edits) {
    if (e.problemId !== problemId || e.chosenId === e.rejectedId) continue;
    const key = pairKey(e);
    const existing = byKey.get(key);
    switch (e.type) {
      case 'pair-drop':
        byKey.delete(key);
        break;
      case 'pair-swap':
        byKey.delete(key);
        byKey.set(pairKey({ chosenId: e.rejectedId, rejectedId: e.chosenId }), curated(e.rejectedId, e.chosenId, existing?.pinned ?? false));
        break;
      case 'pair-add':
        if (!existing) byKey.set(key, curated(e.chosenId, e.rejectedId, false));
        break;
      case 'pair-pin':
        if (existing) byKey.set(key, { ...existing, pinned: e.pinned });
        else if (e.pinned) byKey.set(key, curated(e.chosenId, e.rejectedId, true));
        break;
    }
  }
  return [...byKey.values()];
}

/** The whole DPO set in export order: every problem's pairs, shuffled with the run's seed. */
export function exportOrder(pairs: readonly Pair[], seed: number): Pair[] {
  return shuffled(pairs, seededRandom(seed));
}
