import { UserError } from '../errors';
import type { EffectiveLabel, PolicySettings, RunSettings } from '../schema/index';
import type { RunState } from '../state/run-state';

const ORDER: readonly EffectiveLabel[] = ['inlier', 'outlier', 'boundary', 'unlabelled'];

export interface Movement {
  problemId: string;
  from: EffectiveLabel;
  to: EffectiveLabel;
}

export interface RoundComparison {
  previousRound: number;
  currentRound: number;
  labels: EffectiveLabel[];
  /** matrix[from][to] over problems present in both runs, in `labels` order. */
  matrix: number[][];
  /** Problems whose label changed, in the current run's order. */
  moved: Movement[];
  /** Problems present in only one of the two runs (the datasets should match). */
  onlyPrevious: number;
  onlyCurrent: number;
}

/** How labels moved from one round to the next, e.g. how many Boundary problems became Inlier. */
export function compareRounds(previous: RunState, current: RunState): RoundComparison {
  const matrix = ORDER.map(() => ORDER.map(() => 0));
  const moved: Movement[] = [];
  let both = 0;
  for (const p of current.problems) {
    const before = previous.byId.get(p.problem.id);
    if (!before) continue;
    both++;
    matrix[ORDER.indexOf(before.effective)]![ORDER.indexOf(p.effective)]!++;
    if (before.effective !== p.effective) moved.push({ problemId: p.problem.id, from: before.effective, to: p.effective });
  }
  return {
    previousRound: previous.settings.round.index,
    currentRound: current.settings.round.index,
    labels: [...ORDER],
    matrix,
    moved,
    onlyPrevious: previous.problems.length - both,
    onlyCurrent: current.problems.length - both,
  };
}

/**
 * Settings for the next round of a run: same dataset, budget, thresholds and PRM (the
 * method fixes thresholds per policy/PRM pair), a new policy, and a link back.
 */
export function nextRoundSettings(previous: RunSettings, previousRunDir: string, policy: Partial<PolicySettings> = {}): RunSettings {
  if (!previousRunDir) throw new UserError('the previous run folder is required', 'round.previousRun');
  return {
    ...previous,
    policy: { ...previous.policy, ...policy },
    round: { index: previous.round.index + 1, previousRun: previousRunDir },
  };
}
