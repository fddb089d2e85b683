import type { InsightsIntent, InsightsPayload } from '../../src/protocol-insights';
import { h, formatScore, type Child } from '../common/dom';

/** The tabular insight views. Every cell is text; problem ids come from model data and stay text nodes. */

export type Send = (intent: InsightsIntent) => void;

export function table(testId: string, head: string[], rows: Child[][]): HTMLTableElement {
  return h(
    'table',
    { className: 'grid', testId },
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export function openButton(send: Send, label: string, problemId: string, responseId: string | null, stepIndex: number | null): HTMLButtonElement {
  const b = h('button', { className: 'link', title: 'Open in the inspector' }, label);
  b.addEventListener('click', () => send({ type: 'open-problem', problemId, responseId, stepIndex }));
  return b;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const shown = (list: unknown[], total: number): string => (list.length < total ? ` (first ${list.length} of ${total})` : '');

export function rewardDebugView(d: InsightsPayload['rewardDebug'], send: Send): HTMLElement {
  const responseRows = (rows: typeof d.correctLow) =>
    rows.map((r) => [openButton(send, r.responseId, r.problemId, r.responseId, r.minStepIndex), formatScore(r.minScore, 3), r.minStepIndex === null ? '—' : String(r.minStepIndex + 1)]);
  return h(
    'section',
    { className: 'tab-body', testId: 'reward-debug' },
    h(
      'p',
      { className: 'summary' },
      `AUROC of S(r), correct vs incorrect, over the run: ${formatScore(d.runAuroc, 3)}; mean per problem: ${formatScore(d.meanProblemAuroc, 3)} over ${d.totals.perProblem} problems with both. 0.5 is chance, 1 a perfect ranking.`,
    ),
    h('h3', {}, `Correct responses the PRM scores below τ_l = ${d.tauLow}: ${d.totals.correctLow}${shown(d.correctLow, d.totals.correctLow)}`),
    table('correct-low', ['response', 'S(r)', 'weakest step'], responseRows(d.correctLow)),
    h('h3', {}, `Incorrect responses the PRM scores above τ_h = ${d.tauHigh}: ${d.totals.incorrectHigh}${shown(d.incorrectHigh, d.totals.incorrectHigh)}`),
    table('incorrect-high', ['response', 'S(r)', 'weakest step'], responseRows(d.incorrectHigh)),
    h('h3', {}, `Pairs whose chosen response scores lower: ${d.totals.invertedPairs} of ${d.pairsChecked}${shown(d.invertedPairs, d.totals.invertedPairs)}`),
    table(
      'inverted-pairs',
      ['chosen', 'rejected', 'S(chosen)', 'S(rejected)', 'reward chosen', 'reward rejected', 'lower by'],
      d.invertedPairs.map((p) => [
        openButton(send, p.chosenId, p.problemId, p.chosenId, p.chosenMinStepIndex),
        openButton(send, p.rejectedId, p.problemId, p.rejectedId, null),
        formatScore(p.chosenMin, 3),
        formatScore(p.rejectedMin, 3),
        formatScore(p.chosenReward, 3),
        formatScore(p.rejectedReward, 3),
        [p.byPrm ? 'PRM' : '', p.byReward ? 'reward model' : ''].filter(Boolean).join(', '),
      ]),
    ),
    h('h3', {}, `Problems where the PRM ranks worst (AUROC per problem)${shown(d.perProblem, d.totals.perProblem)}`),
    table(
      'auroc-per-problem',
      ['problem', 'AUROC', 'correct', 'incorrect'],
      d.perProblem.map((p) => [openButton(send, p.problemId, p.problemId, null, null), formatScore(p.auroc, 3), String(p.correct), String(p.incorrect)]),
    ),
  );
}

function matrix(testId: string, labels: string[], m: number[][], rowTitle: string, colTitle: string): HTMLTableElement {
  return table(
    testId,
    [`${rowTitle} \\ ${colTitle}`, ...labels],
    m.map((row, i) => [h('strong', {}, labels[i]!), ...row.map((n) => String(n))]),
  );
}

export function estimationView(e: InsightsPayload['estimation'], send: Send): HTMLElement {
  const verdict =
    e.agreement === null
      ? `No problem has more than n_p = ${e.presample} graded responses yet; re-sample (or run the full budget) to compare.`
      : `The label from the first ${e.presample} responses matches the label from all of them for ${e.agreeing} of ${e.compared} problems: ${pct(e.agreement)} (the method's authors report more than 70 %).`;
  return h(
    'section',
    { className: 'tab-body', testId: 'estimation' },
    h('p', { className: 'summary', testId: 'agreement' }, verdict),
    matrix('confusion', e.labels, e.matrix, `first ${e.presample}`, 'all'),
    h('h3', {}, 'Problems whose label changed'),
    table(
      'estimation-changes',
      ['problem', `first ${e.presample}`, 'all', 'responses'],
      e.disagreements.map((d) => [openButton(send, d.problemId, d.problemId, null, null), d.early, d.full, String(d.responses)]),
    ),
  );
}

function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
}

export function budgetView(b: InsightsPayload['budget']): HTMLElement {
  const money = (x: number) => (b.pricesSet ? `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}` : '—');
  const spend = (s: { responses: number; promptTokens: number; completionTokens: number; cost: number }) => [
    String(s.responses),
    String(s.promptTokens),
    String(s.completionTokens),
    money(s.cost),
  ];
  return h(
    'section',
    { className: 'tab-body', testId: 'budget' },
    h('p', { className: 'summary' }, `${b.total.responses} of ${b.planned.total} planned responses (N × |D| = ${b.planned.total}); ${money(b.total.cost)} at the configured prices.`),
    b.pricesSet ? null : h('p', { className: 'hint' }, 'No prices configured (settings: prices.promptPerMTok, prices.completionPerMTok).'),
    table('budget-stages', ['stage', 'responses', 'prompt tokens', 'completion tokens', 'cost', 'planned', 'time', 'endpoint time', 'truncated'], [
      ['pre-sampling', ...spend(b.byStage.pre), String(b.planned.pre), duration(b.byStage.pre.wallMs), duration(b.byStage.pre.latencyMs), String(b.byStage.pre.truncated)],
      ['re-sampling', ...spend(b.byStage.re), String(b.planned.total - b.planned.pre), duration(b.byStage.re.wallMs), duration(b.byStage.re.latencyMs), String(b.byStage.re.truncated)],
    ]),
    h('h3', {}, 'By label'),
    table(
      'budget-labels',
      ['label', 'responses', 'prompt tokens', 'completion tokens', 'cost'],
      (['inlier', 'outlier', 'boundary', 'unlabelled'] as const).map((l) => [l, ...spend(b.byLabel[l])]),
    ),
    h('h3', {}, 'Failed requests'),
    b.failures.length === 0
      ? h('p', {}, 'None.')
      : table('budget-failures', ['endpoint', 'requests failed', 'still missing', 'recovered on retry'], b.failures.map((f) => [f.endpoint, String(f.requests), String(f.failed), String(f.recovered)])),
  );
}

const fixed = (x: number | null): string => (x === null ? 'undefined' : x.toFixed(3));

/** Inter-annotator agreement and the conflicts to resolve, each opening in the inspector. */
export function agreementView(a: InsightsPayload['agreement'], send: Send): HTMLElement {
  if (a.annotators.length < 2) {
    return h('section', { className: 'tab-body', testId: 'team' }, h('p', { className: 'summary' }, `${a.annotators.length === 1 ? `Only ${a.annotators[0]} has labelled` : 'No annotator has labelled'}: agreement needs two.`));
  }
  return h(
    'section',
    { className: 'tab-body', testId: 'team' },
    h('p', { className: 'summary', testId: 'alpha' }, `Krippendorff's α (nominal) over ${a.annotators.length} annotators and ${a.units} problems labelled by two or more: ${fixed(a.alpha)}. 1 is full agreement, 0 chance.`),
    h('h3', {}, "Cohen's κ per pair (problems both labelled)"),
    table('kappa', ['annotators', 'problems', 'same label', 'κ'], a.pairs.map((p) => [`${p.a} / ${p.b}`, String(p.items), pct(p.observed), fixed(p.kappa)])),
    h('h3', {}, `Conflicts to resolve: ${a.conflicts.length}`),
    a.conflicts.length === 0
      ? h('p', {}, 'None.')
      : table('conflicts', ['problem'], a.conflicts.map((id) => [openButton(send, id, id, null, null)])),
  );
}

export function roundsView(p: InsightsPayload, send: Send): HTMLElement {
  const r = p.rounds;
  if (!r) return h('section', { className: 'tab-body', testId: 'rounds' }, h('p', { className: 'summary' }, `Round ${p.runRound}: ${p.roundsNote ?? ''}`));
  const boundaryToInlier = r.matrix[2]?.[0] ?? 0;
  const changed = r.matrix.reduce((sum, row, i) => sum + row.reduce((a, n, j) => a + (i === j ? 0 : n), 0), 0);
  return h(
    'section',
    { className: 'tab-body', testId: 'rounds' },
    h('p', { className: 'summary' }, `Round ${r.previousRound} → round ${r.currentRound}: ${changed} problems changed label; ${boundaryToInlier} Boundary problems became Inlier.`),
    r.onlyPrevious || r.onlyCurrent ? h('p', { className: 'hint' }, `${r.onlyPrevious} problems only in the earlier round, ${r.onlyCurrent} only in this one.`) : null,
    matrix('round-matrix', r.labels, r.matrix, `round ${r.previousRound}`, `round ${r.currentRound}`),
    h('h3', {}, 'Problems that moved'),
    table('round-moves', ['problem', 'from', 'to'], r.moved.map((m) => [openButton(send, m.problemId, m.problemId, null, null), m.from, m.to])),
  );
}
