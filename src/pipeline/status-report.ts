import type { EffectiveLabel, LabelSource } from '../core/schema/index';
import type { RunState } from '../core/state/run-state';
import { leftOut, type LeftOut } from '../core/export/left-out';

/** `hsstar status --json`: one stable shape for scripts. */
export interface StatusReport {
  problems: {
    id: string;
    label: EffectiveLabel;
    labelSource: LabelSource;
    phiA: number | null;
    phiR: number | null;
    responses: number;
    correct: number;
    /** Responses the plan gives this problem in total. */
    planned: number;
    pairs: number;
  }[];
  budget: { N: number; presample: number; spent: number; planned: number; unspent: number };
  /** Pairs in the DPO set (after curator edits). */
  pairs: number;
  labels: Record<EffectiveLabel, number>;
  thresholds: { tauLow: number; tauHigh: number };
  rdeMode: string;
  /** Requests given up on for good (a new run retries them). */
  failures: number;
  /** What the DPO set leaves out, and why (truncated, no answer, ungraded, no pair). */
  leftOut: LeftOut;
}

export function statusReport(state: RunState, failures: number): StatusReport {
  const plan = state.budget.plan;
  return {
    problems: state.problems.map((p) => ({
      id: p.problem.id,
      label: p.effective,
      labelSource: p.labelSource,
      phiA: p.phiA,
      phiR: p.phiR,
      responses: p.responseCount,
      correct: p.correct,
      planned: Math.max(plan.targets.get(p.problem.id) ?? state.budget.presample, p.responseCount),
      pairs: p.pairs.length,
    })),
    budget: { N: state.budget.N, presample: state.budget.presample, spent: state.budget.spent, planned: state.budget.planned, unspent: plan.unspent },
    pairs: state.pairs.length,
    labels: { ...state.counts },
    thresholds: { ...state.thresholds },
    rdeMode: state.settings.rdeMode,
    failures,
    leftOut: leftOut(state),
  };
}
