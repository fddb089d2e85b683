import { pairKey, type CuratorEvent, type Pair } from './schema/index';
import { derivedRandom, seededRandom, shuffled } from './random';

/** Stage 3 (docs/method.md): correct × incorrect preference pairs for one Boundary problem. */

export interface PairCandidate {
  id: string;
  /** The text, or any string two candidates share exactly when their texts are equal: only equality is used. */
  text: string;
  correct: boolean;
  /** Ranking score: S(r) or the reward model's score; null sorts last. */
  score: number | null;
  /** Cut at `max_tokens` (`finish_reason: length`): the solution never finished. */
  truncated?: boolean;
  /** False when the grader found no final answer in the text. */
  answered?: boolean;
}

/**
 * Which responses may stand on each side of a pair. A cut-off or answerless response is
 * never chosen (it would teach the policy to stop mid-solution or to skip the answer);
 * as the rejected side it is kept out too unless asked for.
 */
export interface PairRules {
  keepTruncatedRejected: boolean;
  keepUnansweredRejected: boolean;
}

export const DEFAULT_PAIR_RULES: PairRules = { keepTruncatedRejected: false, keepUnansweredRejected: false };

export type PairExclusion = 'truncated' | 'no-answer';

/** Why a candidate may not stand on its side (correct → chosen, incorrect → rejected), or null. */
export function pairExclusion(c: Pick<PairCandidate, 'correct' | 'truncated' | 'answered'>, rules: PairRules): PairExclusion | null {
  if (c.truncated && (c.correct || !rules.keepTruncatedRejected)) return 'truncated';
  if (c.answered === false && (c.correct || !rules.keepUnansweredRejected)) return 'no-answer';
  return null;
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

export function autoPairs(problemId: string, all: readonly PairCandidate[], seed: number, rules: PairRules = DEFAULT_PAIR_RULES): Pair[] {
  const candidates = all.filter((c) => pairExclusion(c, rules) === null);
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
