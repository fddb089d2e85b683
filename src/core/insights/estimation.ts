import type { Label } from '../schema/index';
import type { RunState, ResponseView } from '../state/run-state';
import { rdeLabel } from './method';
import { currentThresholds } from './thresholds';

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
  labels: readonly Label[];
  matrix: number[][];
  /** The problems whose label changed, for the table. */
  disagreements: EstimationRow[];
}

function labelOf(responses: ResponseView[], run: RunState, mode = run.settings.rdeMode): Label {
  let correct = 0;
  let scoreSum = 0;
  let scored = 0;
  for (const r of responses) {
    if (r.grade!.correct) correct++;
    if (r.minScore !== null) {
      scoreSum += r.minScore;
      scored++;
    }
  }
  return rdeLabel(correct / responses.length, scored > 0 ? scoreSum / scored : null, currentThresholds(run), mode);
}

/**
 * How well the cheap estimate (n_p pre-samples) predicts the label the full set of responses
 * would give: the method's claim is that they agree more than 70 % of the time.
 */
export function estimationQuality(run: RunState): EstimationQuality {
  const np = run.settings.budget.presample;
  const matrix = ORDER.map(() => ORDER.map(() => 0));
  const out: EstimationQuality = { presample: np, compared: 0, agreeing: 0, agreement: null, labels: ORDER, matrix, disagreements: [] };
  for (const p of run.problems) {
    const graded = p.responses.filter((r) => r.grade !== null);
    const first = graded.filter((r) => r.response.slot < np);
    if (graded.length <= np || first.length === 0) continue;
    const early = labelOf(first, run);
    const full = labelOf(graded, run);
    out.compared++;
    matrix[ORDER.indexOf(early)]![ORDER.indexOf(full)]!++;
    if (early === full) out.agreeing++;
    else out.disagreements.push({ problemId: p.problem.id, early, full, responses: graded.length });
  }
  if (out.compared > 0) out.agreement = out.agreeing / out.compared;
  return out;
}
