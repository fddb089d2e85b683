import type { ProblemState, ResponseView, RunState } from '../state/run-state';
import { stepLabelsOf, stepVerdict } from '../step-labels/step-labels';

/**
 * "Steps to audit": the responses where a human step label would change the most, cheapest
 * reading first. A response is worth reading when the PRM and the grader contradict each
 * other — the PRM finds no weak step in a wrong answer (it missed an error a human can
 * place), or flags a step in a right answer (a PRM error, or a lucky answer that must not
 * be a DPO "chosen") — and, less, when its problem is Boundary (its pairs train the policy).
 * The value grows with how far S(r) is from the threshold; the cost is the steps to read.
 */
export type AuditReason = 'prm-missed-error' | 'prm-flags-correct' | 'boundary' | 'other';

export const AUDIT_WEIGHTS: Record<AuditReason, number> = { 'prm-missed-error': 2, 'prm-flags-correct': 2, boundary: 1, other: 0.25 };

export interface AuditItem {
  problemId: string;
  responseId: string;
  reason: AuditReason;
  correct: boolean;
  minScore: number;
  /** The PRM's weakest step: where to start reading. */
  minStepIndex: number | null;
  steps: number;
  /** Weight × (0.5 + |S(r) − threshold|) / steps: value per step read. */
  priority: number;
  /** Steps to read for this item and every one before it: how far an hour of audit goes. */
  cumulativeSteps: number;
}

export interface AuditQueue {
  threshold: number;
  items: AuditItem[];
  /** Responses in the queue, by reason (the list may be cut; these stay exact). */
  totals: Record<AuditReason, number>;
}

/** Graded, PRM-scored responses whose labelling is not finished, best value per step first. */
export function auditQueue(run: RunState, threshold = 0.5, maxRows = 500): AuditQueue {
  const labels = stepLabelsOf(run.events);
  const totals: Record<AuditReason, number> = { 'prm-missed-error': 0, 'prm-flags-correct': 0, boundary: 0, other: 0 };
  // One pass scores every candidate; only the best `maxRows` become rows (a full run has 800k candidates).
  const candidates: Array<{ p: ProblemState; v: ResponseView; reason: AuditReason; priority: number; order: number }> = [];
  const priorities: number[] = [];
  for (const p of run.problems) {
    for (const v of p.responses) {
      if (!v.grade || v.minScore === null || !v.stepScores) continue;
      const l = labels.get(v.response.id);
      const steps = v.stepScores.length;
      if (l && (l.badProblem || stepVerdict(l, steps).kind !== 'incomplete')) continue;
      const prmSaysCorrect = v.minScore >= threshold;
      const reason: AuditReason =
        !v.grade.correct && prmSaysCorrect ? 'prm-missed-error' : v.grade.correct && !prmSaysCorrect ? 'prm-flags-correct' : p.effective === 'boundary' ? 'boundary' : 'other';
      totals[reason]++;
      const priority = (AUDIT_WEIGHTS[reason] * (0.5 + Math.abs(v.minScore - threshold))) / Math.max(1, steps);
      candidates.push({ p, v, reason, priority, order: candidates.length });
      priorities.push(priority);
    }
  }
  let cutoff = -Infinity;
  if (candidates.length > maxRows) cutoff = maxRows === 0 ? Infinity : Float64Array.from(priorities).sort()[candidates.length - maxRows]!;
  const best = candidates.filter((c) => c.priority >= cutoff);
  // Ties keep dataset and slot order.
  best.sort((a, b) => b.priority - a.priority || a.order - b.order);
  let cumulative = 0;
  const items: AuditItem[] = [];
  for (const { p, v, reason, priority } of best.slice(0, maxRows)) {
    const steps = v.stepScores!.length;
    cumulative += steps;
    items.push({ problemId: p.problem.id, responseId: v.response.id, reason, correct: v.grade!.correct, minScore: v.minScore!, minStepIndex: v.minStepIndex, steps, priority, cumulativeSteps: cumulative });
  }
  return { threshold, items, totals };
}
