import type { RunState } from '../state/run-state';
import { labelledResponses } from '../step-labels/labelled-responses';
import { auditQueue, type AuditReason } from './audit-queue';
import { prmVsHuman, type PrmVsHuman } from './prm-vs-human';

/** `hsstar status`'s step-audit part: the metrics without the row lists, and what is left to audit. */
export interface StepAuditReport extends Omit<PrmVsHuman, 'negativeHigh' | 'positiveLow'> {
  labelled: number;
  queue: Record<AuditReason, number>;
}

export function stepAuditReport(run: RunState, threshold = 0.5): StepAuditReport {
  const { negativeHigh: _n, positiveLow: _p, ...metrics } = prmVsHuman(run, threshold, 0);
  return { ...metrics, labelled: labelledResponses(run).length, queue: auditQueue(run, threshold, 0).totals };
}

function pct(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** One line for the text status. */
export function stepAuditLine(r: StepAuditReport): string {
  const toAudit = r.queue['prm-missed-error'] + r.queue['prm-flags-correct'];
  if (r.labelled === 0) return `steps     no step labels yet; ${toAudit} responses where PRM and grader disagree are first to audit`;
  const best = r.best ? `, best F1 ${pct(r.best.f1)} at ${r.best.threshold}` : '';
  return (
    `steps     ${r.labelled} labelled responses (${r.erroneous} with an error, ${r.correct} correct); PRM first error at ${r.at.threshold}: ` +
    `${pct(r.at.erroneousAccuracy)} / ${pct(r.at.correctAccuracy)}, F1 ${pct(r.at.f1)}${best}; step AUROC ${r.stepAuroc === null ? '-' : r.stepAuroc.toFixed(3)}`
  );
}
