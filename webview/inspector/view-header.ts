import type { InspectorPayload } from '../../src/protocol';
import { badge, button, tag } from '../components/index';
import { formatScore, h } from '../common/dom';
import { rich } from './math';
import type { Actions } from './actions';

const LABEL_TEXT = { inlier: 'Inlier', outlier: 'Outlier', boundary: 'Boundary', unlabelled: 'Unlabelled', conflict: 'Conflict' } as const;

const TEAM_HEADING = {
  agreement: () => 'Annotators agree',
  conflict: () => 'Conflict: the annotators disagree (a lead’s decision or hsstar resolve settles it)',
  lead: (by: string | null) => `Settled by the lead ${by ?? ''}`,
  resolution: (by: string | null) => `Resolved by ${by ?? ''}`,
} as const;

/** Each annotator's decision with its reason and time, and how they resolve; a conflict offers its labels as resolutions. */
function renderTeam(team: NonNullable<InspectorPayload['team']>, actions: Actions): HTMLElement {
  const offered = [...new Set(team.decisions.map((d) => d.label))];
  return h(
    'section',
    { className: `team team-${team.kind}`, testId: 'annotators', ariaLabel: 'Annotators' },
    h('div', { className: 'team-heading', testId: 'team-kind' }, TEAM_HEADING[team.kind](team.settledBy)),
    h(
      'ul',
      { className: 'team-decisions' },
      ...team.decisions.map((d) =>
        h(
          'li',
          { testId: 'decision' },
          h('strong', { className: 'decision-author' }, d.author),
          d.lead ? ' (lead)' : '',
          ': ',
          tag(labelText(d.label), 'label-tag'),
          ` — “${d.reason}”, ${d.at}`,
        ),
      ),
    ),
    team.kind === 'conflict'
      ? h(
          'div',
          { className: 'toolbar', role: 'toolbar', ariaLabel: 'Resolve the conflict' },
          ...offered.map((l) =>
            button({ label: `Resolve as ${labelText(l)}`, ariaLabel: `Resolve the conflict as ${labelText(l)}`, testId: `resolve-${l}`, secondary: true, onClick: () => actions.askResolve(l) }),
          ),
        )
      : null,
  );
}

export function labelText(label: keyof typeof LABEL_TEXT): string {
  return LABEL_TEXT[label];
}

/** Where the step scores come from; said plainly when they are one score per response, not per step. */
export function prmLine(prm: NonNullable<InspectorPayload['prm']>): string {
  if (!prm.onePerResponse) return `PRM ${prm.model}`;
  return `${prm.model}: one score per response, repeated on every step (an outcome score, not a PRM's step scores), so the weakest step is always step 1`;
}

/** The problem, its reference answer, phi_a / phi_r, the label and where it came from. */
export function renderHeader(p: InspectorPayload, actions: Actions): HTMLElement {
  const { label } = p;
  const labelLine = h(
    'div',
    { className: 'label-line', testId: 'label' },
    tag(labelText(label.effective), 'label-tag'),
    h('span', { className: 'label-source', testId: 'label-source' }, label.source === 'override' ? 'curator override' : 'derived from the responses'),
  );
  if (label.override) {
    labelLine.append(
      h(
        'span',
        { className: 'override-detail' },
        ` (derived: ${labelText(label.derived)}) — “${label.override.reason}”, ${label.override.author}, ${label.override.at}`,
      ),
    );
  }

  const metrics = h(
    'dl',
    { className: 'metrics', testId: 'metrics' },
    h('dt', {}, 'Accuracy φa'),
    h('dd', { testId: 'phi-a' }, formatScore(p.phiA)),
    h('dt', {}, 'Process score φr'),
    h('dd', { testId: 'phi-r' }, formatScore(p.phiR)),
    p.prm ? h('dt', {}, 'Step scores') : null,
    p.prm ? h('dd', { testId: 'prm-line' }, prmLine(p.prm)) : null,
    h('dt', {}, 'Thresholds'),
    h('dd', {}, `τl ${p.thresholds.tauLow} · τh ${p.thresholds.tauHigh}`),
    h('dt', {}, 'Reviewed'),
    h('dd', { testId: 'reviewed' }, p.reviewed ? 'yes' : 'no'),
  );

  const nav = h(
    'div',
    { className: 'toolbar', role: 'toolbar', ariaLabel: 'Problem actions' },
    button({ label: '← Prev', ariaLabel: 'Previous problem in group (k)', testId: 'nav-prev', secondary: true, onClick: () => actions.navigate('prev') }),
    h('span', { className: 'nav-pos', testId: 'nav-position' }, `${p.nav.total ? p.nav.index + 1 : 0} / ${p.nav.total} in ${labelText(p.nav.group)}`),
    button({ label: 'Next →', ariaLabel: 'Next problem in group (j)', testId: 'nav-next', secondary: true, onClick: () => actions.navigate('next') }),
    button({ label: 'Inlier', ariaLabel: 'Set label Inlier (1)', testId: 'set-inlier', secondary: true, onClick: () => actions.askLabel('inlier') }),
    button({ label: 'Boundary', ariaLabel: 'Set label Boundary (2)', testId: 'set-boundary', secondary: true, onClick: () => actions.askLabel('boundary') }),
    button({ label: 'Outlier', ariaLabel: 'Set label Outlier (3)', testId: 'set-outlier', secondary: true, onClick: () => actions.askLabel('outlier') }),
    label.override
      ? button({ label: 'Clear override', ariaLabel: 'Clear the curator override', testId: 'clear-override', secondary: true, onClick: () => actions.clearOverride() })
      : null,
    button({
      label: p.reviewed ? 'Unmark reviewed' : 'Mark reviewed',
      ariaLabel: p.reviewed ? 'Remove the reviewed mark (r)' : 'Mark reviewed (r)',
      testId: 'mark-reviewed',
      onClick: () => actions.toggleReviewed(),
    }),
    button({ label: 'Undo', ariaLabel: 'Undo the last edit (Ctrl+Z)', testId: 'undo', secondary: true, disabled: !p.canUndo, onClick: () => actions.undo() }),
    button({ label: '?', ariaLabel: 'Keyboard shortcuts (?)', testId: 'help-button', icon: true, onClick: () => actions.toggleHelp() }),
  );

  return h(
    'header',
    { className: 'problem', testId: 'problem' },
    h('h1', { className: 'problem-id', testId: 'problem-id' }, p.problem.id, ' ', badge(`${p.responses.length} responses`)),
    nav,
    h('section', { className: 'question', ariaLabel: 'Question', testId: 'question' }, rich('div', p.problem.question)),
    h('div', { className: 'answer', testId: 'reference-answer' }, h('strong', {}, 'Reference answer: '), rich('span', p.problem.answer)),
    h('div', { className: 'source' }, `Source: ${p.problem.source}`),
    labelLine,
    p.team ? renderTeam(p.team, actions) : null,
    metrics,
    p.guidelines !== null
      ? h('details', { className: 'guidelines', testId: 'guidelines' }, h('summary', {}, 'Guidelines (GUIDELINES.md)'), h('pre', { className: 'guidelines-text' }, p.guidelines))
      : null,
    p.runsEnabled ? null : h('p', { className: 'notice', role: 'note' }, 'This workspace is not trusted: runs are disabled; reviewing and editing still work.'),
  );
}
