import type { ResponseView } from '../core/state/run-state';
import { stepVerdict, type ResponseStepLabels } from '../core/step-labels/step-labels';
import { describeVerdict } from '../core/step-labels/verdict-text';
import type { StepAuditView } from '../protocol';

/** One response's step labels as the inspector shows them, with the verdict beside the grader's. */
export function stepAuditView(v: ResponseView, labels: ResponseStepLabels): StepAuditView {
  const count = v.steps.length;
  const verdict = stepVerdict(labels, count);
  const graderCorrect = v.grade ? v.grade.correct : null;
  const finding = graderCorrect !== null && verdict.kind !== 'incomplete' && (verdict.kind === 'error') === graderCorrect;
  return {
    labels: Array.from({ length: count }, (_, i) => {
      const l = labels.steps.get(i);
      return l ? { rating: l.rating, note: l.note, unsure: l.unsure } : null;
    }),
    verdict: verdict.kind,
    firstError: verdict.kind === 'error' ? verdict.firstError : null,
    badProblem: labels.badProblem,
    finding,
    text: (labels.badProblem ? 'flagged: bad problem statement · ' : '') + describeVerdict(verdict, count, graderCorrect),
  };
}
