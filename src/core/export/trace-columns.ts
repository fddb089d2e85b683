import type { PairRow } from './rows';

/**
 * The columns that trace a trained pair back to the run: problem and response ids, each
 * side's S(r) as `score_chosen` / `score_rejected` (the names preference datasets on the Hub
 * use) and, when the run has a reward model, its scores. Every trainer exported to reads
 * only the columns it is told about, so these ride along.
 */
export function traceColumns(row: PairRow, withReward: boolean): Record<string, string | number | null> {
  return {
    problem_id: row.problemId,
    chosen_id: row.chosenId,
    rejected_id: row.rejectedId,
    score_chosen: row.chosenScore,
    score_rejected: row.rejectedScore,
    ...(withReward ? { reward_chosen: row.chosenReward, reward_rejected: row.rejectedReward } : {}),
  };
}
