import type { SlotTarget } from './custom-id';
import { chunkSlots } from './request-body';

export type BatchStage = 'rde' | 'resample';

/** The little of the read model the batch planner needs (RunState satisfies it). */
export interface PendingInput {
  settings: { budget: { presample: number }; policy: { nPerRequest: number } };
  problems: readonly {
    problem: { id: string };
    effective: string;
    responses: readonly { response: { slot: number } }[];
  }[];
  budget: { plan: { targets: ReadonlyMap<string, number> } };
}

export interface PendingRequests {
  requests: SlotTarget[];
  /** Responses the requests will buy (sum of their slots). */
  samples: number;
  /** Problems that still lack pre-samples (re-sampling is planned from incomplete labels). */
  missingPresamples: number;
  /** Problems whose pre-samples are not all graded yet, so their label is still unknown. */
  unlabelled: number;
}

/**
 * The slots a stage still has to buy. RDE: slots [0, n_p) of every problem; re-sampling:
 * slots [n_p, target) of the problems the budget plan gives more (the Boundary ones).
 * Slots already on disk are never asked for again.
 */
export function pendingRequests(state: PendingInput, stage: BatchStage): PendingRequests {
  const presample = state.settings.budget.presample;
  const perRequest = state.settings.policy.nPerRequest;
  const requests: SlotTarget[] = [];
  let samples = 0;
  let missingPresamples = 0;
  let unlabelled = 0;
  for (const ps of state.problems) {
    const have = new Set<number>();
    for (const v of ps.responses) have.add(v.response.slot);
    let preHave = 0;
    for (let s = 0; s < presample; s++) if (have.has(s)) preHave++;
    if (preHave < presample) missingPresamples++;
    if (ps.effective === 'unlabelled') unlabelled++;
    const from = stage === 'rde' ? 0 : presample;
    const to = stage === 'rde' ? presample : (state.budget.plan.targets.get(ps.problem.id) ?? presample);
    const slots: number[] = [];
    for (let s = from; s < to; s++) if (!have.has(s)) slots.push(s);
    if (slots.length === 0) continue;
    samples += slots.length;
    for (const t of chunkSlots(ps.problem.id, slots, perRequest)) requests.push(t);
  }
  return { requests, samples, missingPresamples, unlabelled };
}

/**
 * The highest slot (exclusive) an import may fill for a problem: its planned target, and
 * never less than n_p. A line for a slot beyond it was not exported by this run.
 */
export function slotLimit(state: PendingInput, problemId: string): number {
  const presample = state.settings.budget.presample;
  return Math.max(presample, state.budget.plan.targets.get(problemId) ?? presample);
}
