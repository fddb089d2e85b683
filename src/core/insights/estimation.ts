import type { Label } from '../schema/index';
import type { RunState, ResponseView } from '../state/run-state';
import { rdeLabel, rdeStats } from '../rde';

const ORDER: readonly Label[] = ['inlier', 'outlier', 'boundary'];

export interface EstimationRow {
  problemId: string;
  /** Label from the first n_p responses (slots < n_p). */
  early: Label;
  /** Label from every graded response. */
  full: Label;
  responses: number;
}

export interface EstimationQuality {
  presample: number;
  /** Problems with more than n_p graded responses: the only ones that can be compared. */
  compared: number;
  agreeing: number;
  /** agreeing / compared; null when nothing could be compared. */
  agreement: number | null;
  /** matrix[early][full], rows and columns in `labels` order. */
  labels: Label[];
  matrix: number[][];
  /** The problems whose label changed, for the table. */
  disagreements: EstimationRow[];
}

function labelOf(responses: ResponseView[], run: RunState): Label | 'unlabelled' {
  const stats = rdeStats(responses.map((r) => ({ correct: r.grade ? r.grade.correct : null, minScore: r.minScore })));
  return rdeLabel(stats, run.thresholds, run.settings.rdeMode, run.prmConfigured);
}

/**
 * How well the cheap estimate (n_p pre-samples) predicts the label the full set of responses
 * would give: the method's claim is that they agree more than 70 % of the time.
 */
export function estimationQuality(run: RunState): EstimationQuality {
  const np = run.settings.budget.presample;
  const matrix = ORDER.map(() => ORDER.map(() => 0));
  const out: EstimationQuality = { presample: np, compared: 0, agreeing: 0, agreement: null, labels: [...ORDER], matrix, disagreements: [] };
  for (const p of run.problems) {
    const graded = p.responses.filter((r) => r.grade !== null);
    const first = graded.filter((r) => r.response.slot < np);
    if (graded.length <= np || first.length === 0) continue;
    const early = labelOf(first, run);
    const full = labelOf(graded, run);
    // Graded but not yet PRM-scored: no label to compare.
    if (early === 'unlabelled' || full === 'unlabelled') continue;
    out.compared++;
    matrix[ORDER.indexOf(early)]![ORDER.indexOf(full)]!++;
    if (early === full) out.agreeing++;
    else out.disagreements.push({ problemId: p.problem.id, early, full, responses: graded.length });
  }
  if (out.compared > 0) out.agreement = out.agreeing / out.compared;
  return out;
}
