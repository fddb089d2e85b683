import { estimateCost, type CostEstimate } from '../core/budget-plan';
import type { EffectiveLabel } from '../core/schema/index';
import type { RunState } from '../core/state/run-state';

/** What the rest of the run will buy: the dry run's report, before any money is spent. */
export interface PlanSummary {
  labels: Record<EffectiveLabel, number>;
  problems: number;
  N: number;
  presample: number;
  /** Pre-samples still missing (stage 1 not finished). */
  presamplesMissing: number;
  /** Re-samples the plan gives each Boundary problem: how many problems get how many in total. */
  perBoundary: { responses: number; problems: number }[];
  resamplesMissing: number;
  spent: number;
  planned: number;
  unspent: number;
  estimate: CostEstimate;
}

export function planSummary(state: RunState): PlanSummary {
  const { plan, N, presample, spent, planned } = state.budget;
  let presamplesMissing = 0;
  let resamplesMissing = 0;
  const histogram = new Map<number, number>();
  for (const p of state.problems) {
    const pre = p.responses.filter((v) => v.response.slot < presample).length;
    presamplesMissing += presample - pre;
    const target = plan.targets.get(p.problem.id) ?? presample;
    if (p.effective === 'boundary') {
      histogram.set(target, (histogram.get(target) ?? 0) + 1);
      resamplesMissing += Math.max(0, target - Math.max(presample, p.responses.length));
    }
  }
  // The pre-samples are the same prompt and policy as what is left to buy: their mean usage is the estimate.
  const usage = state.problems.flatMap((p) => p.responses.filter((v) => v.response.slot < presample).map((v) => v.response.usage));
  const estimate = estimateCost({ missing: presamplesMissing + resamplesMissing, usage, prices: state.settings.prices });
  return {
    labels: { ...state.counts },
    problems: state.problems.length,
    N,
    presample,
    presamplesMissing,
    perBoundary: [...histogram.entries()].sort((a, b) => b[0] - a[0]).map(([responses, problems]) => ({ responses, problems })),
    resamplesMissing,
    spent,
    planned,
    unspent: plan.unspent,
    estimate,
  };
}
