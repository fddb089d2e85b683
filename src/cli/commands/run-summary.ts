import type { RunState } from '../../core/state/run-state';
import type { PlanSummary } from '../../pipeline/plan-summary';

/** The lines `run` and `demo` end with: labels, budget, pairs. */
export function stateLines(state: RunState): string[] {
  const c = state.counts;
  const b = state.budget;
  const overrides = state.problems.filter((p) => p.labelSource === 'override').length;
  return [
    `labels: ${c.boundary} boundary, ${c.inlier} inlier, ${c.outlier} outlier` + (c.unlabelled ? `, ${c.unlabelled} unlabelled` : '') + (overrides ? ` (${overrides} by curator)` : ''),
    `thresholds: tau_l ${state.thresholds.tauLow}, tau_h ${state.thresholds.tauHigh} (${state.prmConfigured ? state.settings.rdeMode : 'accuracy-only: no PRM'})`,
    `budget: ${b.spent} of ${b.planned} responses bought (N = ${b.N}, n_p = ${b.presample}, ${state.problems.length} problems)` +
      (c.unlabelled === state.problems.length
        ? '; re-sampling is planned once stage 1 has labelled the problems'
        : b.plan.unspent
          ? `; ${b.plan.unspent} left unspent: no Boundary problem`
          : ''),
    `pairs: ${state.pairs.length}`,
  ];
}

function money(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** The dry run's report. */
export function planLines(plan: PlanSummary): string[] {
  const l = plan.labels;
  const lines = [
    `problems: ${plan.problems}; labels so far: ${l.boundary} boundary, ${l.inlier} inlier, ${l.outlier} outlier, ${l.unlabelled} unlabelled`,
    `pre-samples to buy: ${plan.presamplesMissing} (n_p = ${plan.presample} each)`,
  ];
  if (plan.perBoundary.length > 0) {
    lines.push(`re-samples to buy: ${plan.resamplesMissing}; Boundary problems end with ` + plan.perBoundary.map((h) => `${h.responses} responses (${h.problems} problems)`).join(', '));
  } else if (l.unlabelled === plan.problems) {
    lines.push(`re-samples: planned after stage 1 labels the problems; at most ${(plan.N - plan.presample) * plan.problems} ((N − n_p) × |D|)`);
  } else {
    lines.push(`re-samples: none, no Boundary problem: ${plan.unspent} responses of the budget stay unspent`);
  }
  lines.push(`budget: ${plan.spent} bought, ${plan.planned} planned (N × |D| = ${plan.N * plan.problems})`);
  const e = plan.estimate;
  lines.push(
    e.known
      ? `estimate for what is left: ${e.promptTokens} prompt + ${e.completionTokens} completion tokens, ${money(e.cost)} (mean usage of the pre-samples bought so far)`
      : 'estimate: unknown until some responses are bought (no usage to go on)',
  );
  return lines;
}
