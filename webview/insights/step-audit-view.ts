import type { InsightsPayload } from '../../src/protocol-insights';
import { h, formatScore } from '../common/dom';
import { openButton, table, type Send } from './tables';

/** The "Steps" tab: the PRM against human step labels, its worst disagreements and what to audit next. */

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const RATING: Record<string, string> = { '1': '+1', '0': '0', '-1': '−1' };
const REASON: Record<string, string> = {
  'prm-missed-error': 'wrong answer, PRM sees no error',
  'prm-flags-correct': 'right answer, PRM flags a step',
  boundary: 'Boundary problem',
  other: 'other',
};

export function stepAuditView(d: InsightsPayload['stepAudit'], send: Send): HTMLElement {
  const m = d.prm;
  const score = (s: typeof m.at) =>
    `first-error accuracy ${pct(s.erroneousAccuracy)} on the ${m.erroneous} erroneous and ${pct(s.correctAccuracy)} on the ${m.correct} correct responses; F1 ${pct(s.f1)}`;
  const summary =
    m.responses === 0
      ? `No response has finished step labels yet (${m.skipped.incomplete} unfinished). Rate steps in the inspector (s, then + 0 − or f) or with hsstar label-steps; start with the queue below.`
      : `Over ${m.responses} responses with finished step labels, at threshold ${m.at.threshold}: ${score(m.at)}.`;
  const stepRows = (rows: typeof m.negativeHigh) =>
    rows.map((r) => [openButton(send, `${r.responseId} step ${r.step + 1}`, r.problemId, r.responseId, r.step), RATING[String(r.rating)]!, formatScore(r.score, 3), r.note]);
  const q = d.queue;
  return h(
    'section',
    { className: 'tab-body', testId: 'step-audit' },
    h('p', { className: 'summary', testId: 'step-audit-summary' }, summary),
    h(
      'p',
      { className: 'summary', testId: 'step-audit-best' },
      m.best ? `Best threshold ${formatScore(m.best.threshold, 3)}: ${score(m.best)}.` : 'The best threshold needs both erroneous and correct labelled responses.',
    ),
    h(
      'p',
      { className: 'summary', testId: 'step-auroc' },
      `Step-level AUROC of the PRM score, −1 against the rest, over ${m.steps.total} rated steps (${m.steps.negative} rated −1): ${formatScore(m.stepAuroc, 3)}. 0.5 is chance, 1 a perfect ranking.`,
    ),
    h('p', { className: 'hint' }, `Left out: ${m.skipped.incomplete} unfinished labellings, ${m.skipped.badProblem} flagged bad problem, ${m.skipped.unscored} without PRM scores.`),
    h('h3', {}, `−1 steps the PRM scores highest`),
    table('negative-high', ['step', 'human', 'PRM score', 'note'], stepRows(m.negativeHigh)),
    h('h3', {}, `+1 steps the PRM scores lowest`),
    table('positive-low', ['step', 'human', 'PRM score', 'note'], stepRows(m.positiveLow)),
    h(
      'h3',
      {},
      `Steps to audit: ${q.totals['prm-missed-error']} wrong answers the PRM passes, ${q.totals['prm-flags-correct']} right answers it flags, ${q.totals.boundary} more in Boundary problems`,
    ),
    h('p', { className: 'hint' }, 'Most value per step read first; "steps so far" is the reading an audit of the list down to that row costs.'),
    table(
      'audit-queue',
      ['response', 'why', 'S(r)', 'steps', 'steps so far'],
      q.items.map((i) => [openButton(send, i.responseId, i.problemId, i.responseId, i.minStepIndex), REASON[i.reason]!, formatScore(i.minScore, 3), String(i.steps), String(i.cumulativeSteps)]),
    ),
  );
}
