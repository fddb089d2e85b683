import type { ResponsePayload, StepLabelView } from '../../src/protocol';
import { button } from '../components/index';
import { h } from '../common/dom';
import type { Actions, StepChange } from './actions';

const RATING_TEXT: Record<string, string> = { '1': '+1', '0': '0', '-1': '−1' };

/** A step's human label as a small chip: +1 / 0 / −1, "?" when unsure, and the note. */
export function stepLabelChip(label: StepLabelView | null | undefined, slot: number, step: number): HTMLElement | null {
  if (!label) return null;
  const text = label.unsure ? '?' : label.rating === null ? '' : RATING_TEXT[String(label.rating)]!;
  const kind = label.unsure ? 'unsure' : label.rating === 1 ? 'good' : label.rating === -1 ? 'bad' : 'neutral';
  return h(
    'span',
    { className: `step-label ${kind}`, testId: `step-label-${slot}-${step}`, ariaLabel: `human rating ${label.unsure ? 'unsure' : text}` },
    text,
    label.note ? h('span', { className: 'step-note' }, ` — ${label.note}`) : null,
  );
}

/** The rating controls of the step under the cursor (the keys do the same). */
export function stepControls(r: ResponsePayload, step: number, actions: Actions): HTMLElement {
  const change = (c: StepChange) => () => actions.rateStep(r.id, step, c);
  return h(
    'div',
    { className: 'step-controls toolbar', testId: `step-controls-${r.slot}` },
    button({ label: '+1', ariaLabel: `Rate step ${step + 1} +1, correct and useful (+)`, secondary: true, onClick: change({ rating: 1 }) }),
    button({ label: '0', ariaLabel: `Rate step ${step + 1} 0, neutral (0)`, secondary: true, onClick: change({ rating: 0 }) }),
    button({ label: '−1', ariaLabel: `Rate step ${step + 1} −1, wrong (−)`, secondary: true, onClick: change({ rating: -1 }) }),
    button({ label: 'First error here', ariaLabel: `Steps before ${step + 1} +1, step ${step + 1} −1 (f)`, secondary: true, onClick: change({ firstError: true }) }),
    button({ label: 'Unsure', ariaLabel: `Mark step ${step + 1} unsure (u)`, secondary: true, onClick: change({ toggleUnsure: true }) }),
    button({ label: 'Note…', ariaLabel: `Note on step ${step + 1} (n)`, secondary: true, onClick: () => actions.askNote(r.id, step) }),
    button({
      label: r.stepAudit?.badProblem ? 'Problem statement OK' : 'Bad problem statement',
      ariaLabel: `Flag the problem statement as bad, or remove the flag (b)`,
      secondary: true,
      onClick: () => actions.toggleBadProblem(r.id),
    }),
  );
}

/** The response's verdict from its step labels, beside the grader's. */
export function auditLine(r: ResponsePayload): HTMLElement | null {
  const a = r.stepAudit;
  if (!a) return null;
  return h('div', { className: `audit-line ${a.verdict}${a.finding ? ' finding' : ''}`, testId: `audit-${r.slot}`, role: 'note' }, a.finding ? '⚑ ' : '', a.text);
}
