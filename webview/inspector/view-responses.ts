import type { InspectorPayload, ResponsePayload } from '../../src/protocol';
import { button } from '../components/index';
import { clear, formatScore, h } from '../common/dom';
import { rich } from './math';
import type { Actions } from './actions';
import { auditLine, stepControls, stepLabelChip } from './view-step-labels';

const MAX_STRIP_CELLS = 400;

/** 0..4 from red to green; null when the step has no score. */
export function heatLevel(score: number | null): number | null {
  if (score === null || !Number.isFinite(score)) return null;
  return Math.max(0, Math.min(4, Math.floor(score * 5)));
}

function verdict(r: ResponsePayload): { text: string; className: string } {
  if (r.correct === null) return { text: 'not graded', className: 'ungraded' };
  return r.correct ? { text: '✓ correct', className: 'correct' } : { text: '✗ incorrect', className: 'incorrect' };
}

/** One cell per step, coloured by its PRM score; the weakest step is outlined. */
export function heatStrip(r: ResponsePayload): HTMLElement {
  const strip = h('div', {
    className: 'heat-strip',
    testId: `heat-${r.slot}`,
    role: 'img',
    ariaLabel:
      r.minStepIndex === null
        ? `${r.steps.length} steps, not scored`
        : `${r.steps.length} steps; weakest step ${r.minStepIndex + 1} scores ${formatScore(r.minScore)}`,
  });
  const shown = Math.min(r.steps.length, MAX_STRIP_CELLS);
  for (let i = 0; i < shown; i++) {
    const level = heatLevel(r.steps[i]!.score);
    const cell = h('span', {
      className: `heat-cell heat-${level ?? 'none'}${i === r.minStepIndex ? ' weakest' : ''}`,
      title: `step ${i + 1}: ${formatScore(r.steps[i]!.score)}`,
    });
    strip.append(cell);
  }
  if (r.steps.length > shown) strip.append(h('span', { className: 'heat-more' }, `+${r.steps.length - shown}`));
  return strip;
}

const FIRST_STEPS = 150;
const FORMULAS_PER_RESPONSE = 400;

/**
 * A response's steps with their scores. Long responses show their first steps and a button
 * for the rest, and typeset a bounded number of formulas, so a megabyte stays cheap.
 */
export function stepList(r: ResponsePayload, all = false, focusStep: number | null = null, actions: Actions | null = null): HTMLElement {
  const list = h('ol', { className: 'steps', ariaLabel: `Steps of response ${r.slot}` });
  const cursor = actions?.stepCursor();
  const cursorStep = cursor && cursor.responseId === r.id ? cursor.step : null;
  const budget = { formulas: FORMULAS_PER_RESPONSE };
  const shown = all ? r.steps.length : Math.min(r.steps.length, FIRST_STEPS);
  const addSteps = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const s = r.steps[i]!;
      const level = heatLevel(s.score);
      const weakest = i === r.minStepIndex;
      const focused = i === focusStep;
      // The focused step can take keyboard focus; its test id lets a re-render keep it there.
      const attrs: Record<string, string> = focused ? { value: String(i + 1), 'data-focused': 'step', tabindex: '-1' } : { value: String(i + 1) };
      // Every step of an inspector list can take the step cursor (click, or the arrow keys).
      const atCursor = i === cursorStep;
      if (actions) Object.assign(attrs, { tabindex: '-1', 'data-step': String(i) }, atCursor ? { 'data-cursor': 'true', 'aria-current': 'step' } : {});
      const label = r.stepAudit?.labels[i];
      const item = h(
          'li',
          {
            className: `step heat-${level ?? 'none'}${weakest ? ' weakest' : ''}${focused ? ' focused' : ''}${atCursor ? ' cursor' : ''}${label ? ' labelled' : ''}`,
            testId: weakest ? `weakest-step-${r.slot}` : focused ? `focused-step-${r.slot}` : undefined,
            ariaLabel: focused ? `Step ${i + 1}, the step this response was opened at` : undefined,
            attrs,
          },
          h('span', { className: 'step-score', ariaLabel: `step ${i + 1} score` }, formatScore(s.score)),
          weakest ? h('span', { className: 'weakest-mark' }, 'weakest step') : null,
          stepLabelChip(label, r.slot, i),
          rich('div', s.text, 'step-text', budget),
          actions && atCursor ? stepControls(r, i, actions) : null,
        );
      if (actions) item.addEventListener('click', (e) => {
        if (!atCursor && !(e.target as HTMLElement).closest('vscode-button')) actions.setStepCursor(r.id, i);
      });
      list.append(item);
    }
  };
  if (all && shown > FIRST_STEPS) {
    // A long response goes in a page per frame, so the panel keeps answering keys meanwhile.
    addSteps(0, FIRST_STEPS);
    const next = (from: number) => {
      if (!list.isConnected && from > FIRST_STEPS) return;
      const to = Math.min(shown, from + FIRST_STEPS);
      addSteps(from, to);
      if (to < shown) setTimeout(() => next(to), 0);
    };
    setTimeout(() => next(FIRST_STEPS), 0);
    return list;
  }
  addSteps(0, shown);
  // The weakest and the focused step are always shown, even past the first page.
  const beyond = [...new Set([r.minStepIndex, focusStep])].filter((i): i is number => i !== null && i >= shown && i < r.steps.length);
  for (const i of beyond.sort((a, b) => a - b)) addSteps(i, i + 1);
  if (shown < r.steps.length) {
    const rest = r.steps.length - shown;
    const more = button({
      label: `Show all ${r.steps.length} steps (${rest} more)`,
      ariaLabel: `Show the remaining ${rest} steps of response ${r.slot}`,
      testId: `more-steps-${r.slot}`,
      secondary: true,
      onClick: () => list.replaceWith(stepList(r, true, focusStep, actions)),
    });
    list.append(h('li', { className: 'more-steps' }, more));
  }
  return list;
}

function responseCard(r: ResponsePayload, actions: Actions): HTMLElement {
  const v = verdict(r);
  const focus = actions.focus();
  const focused = focus?.responseId === r.id;
  const body = h('div', { className: 'response-body', testId: `response-body-${r.slot}` });
  const fill = () => {
    clear(body);
    if (actions.isExpanded(r.id)) body.append(stepList(r, actions.stepCursor()?.responseId === r.id && (actions.stepCursor()?.step ?? 0) >= FIRST_STEPS, focused ? focus.stepIndex : null, actions));
  };
  const expand = button({
    label: actions.isExpanded(r.id) ? 'Collapse' : 'Expand',
    ariaLabel: `Show or hide the steps of response ${r.slot}`,
    testId: `toggle-${r.slot}`,
    secondary: true,
    onClick: () => {
      const open = actions.toggleExpanded(r.id);
      expand.textContent = open ? 'Collapse' : 'Expand';
      fill();
    },
  });
  const picked = actions.compareSelection() === r.id;
  const facts = h(
    'div',
    { className: 'response-facts' },
    h('span', { className: `verdict ${v.className}`, testId: `verdict-${r.slot}` }, v.text),
    h('span', {}, ' · answer: '),
    r.extracted === null ? h('span', { className: 'muted' }, 'none found') : rich('span', r.extracted, 'extracted'),
    h('span', { className: 'muted' }, r.method ? ` (${r.method})` : ''),
    h('span', {}, ` · S(r) ${formatScore(r.minScore)}`),
    r.minStepIndex === null ? null : h('span', {}, ` at step ${r.minStepIndex + 1}`),
    r.reward === null ? null : h('span', {}, ` · reward ${formatScore(r.reward, 3)}`),
    h('span', { className: r.truncated ? 'truncated' : '' }, ` · finish ${r.finishReason ?? 'unknown'}${r.truncated ? ' (truncated)' : ''}`),
    h('span', { className: 'muted' }, ` · ${r.promptTokens}+${r.completionTokens} tokens · ${r.stage === 'pre' ? 'pre-sample' : 're-sample'}`),
  );
  const card = h(
    'article',
    {
      className: `response ${v.className}${focused ? ' focused' : ''}`,
      testId: `response-${r.slot}`,
      ariaLabel: `Response ${r.slot}, ${v.text}`,
      attrs: focused ? { 'data-focused': 'response', tabindex: '-1' } : {},
    },
    h(
      'div',
      { className: 'response-head' },
      h('h3', {}, `#${r.slot}`),
      facts,
      expand,
      button({
        label: picked ? 'Picked' : 'Compare',
        ariaLabel: `Compare response ${r.slot} with another`,
        testId: `compare-${r.slot}`,
        secondary: !picked,
        onClick: () => actions.pickForCompare(r.id),
      }),
    ),
    heatStrip(r),
    auditLine(r),
    body,
  );
  fill();
  return card;
}

export function renderResponses(p: InspectorPayload, actions: Actions): HTMLElement {
  const section = h('section', { className: 'responses', testId: 'responses', ariaLabel: 'Responses' }, h('h2', {}, `Responses (${p.responses.length})`));
  if (p.responses.length === 0) section.append(h('p', { className: 'muted' }, 'No responses yet: run RDE.'));
  for (const r of p.responses) section.append(responseCard(r, actions));
  return section;
}

/** Two responses side by side, steps and scores aligned by position. */
export function renderCompare(p: InspectorPayload, actions: Actions): HTMLElement | null {
  if (!p.compare) return null;
  const [a, b] = p.compare.map((id) => p.responses.find((r) => r.id === id));
  if (!a || !b) return null;
  const column = (r: ResponsePayload) =>
    h('div', { className: 'compare-column', testId: `compare-column-${r.slot}` }, h('h3', {}, `#${r.slot} — ${verdict(r).text} — S(r) ${formatScore(r.minScore)}`), heatStrip(r), stepList(r));
  return h(
    'section',
    { className: 'compare', testId: 'compare', ariaLabel: 'Side-by-side compare' },
    h(
      'div',
      { className: 'compare-head' },
      h('h2', {}, 'Compare'),
      button({ label: 'Close compare', testId: 'compare-close', secondary: true, onClick: () => actions.send({ type: 'compare', problemId: p.problem.id, responseIds: null }) }),
    ),
    h('div', { className: 'compare-columns' }, column(a), column(b)),
  );
}
