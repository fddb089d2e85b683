import { button, textArea } from '../components/index';
import { h } from '../common/dom';

export const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous problem: your own unreviewed ones when reviews are assigned (hsstar assign), else in this group'],
  ['1 / 2 / 3', 'set label Inlier / Boundary / Outlier (asks for a reason)'],
  ['r', 'mark reviewed (again to unmark)'],
  ['Ctrl+Z / Cmd+Z', 'undo the last edit'],
  ['s', 'rate steps: put the step cursor on the first unrated step'],
  ['↓ / ↑', 'next / previous step (on to the next response)'],
  ['+ / 0 / −', 'rate the step +1 (correct, useful) / 0 (neutral) / −1 (wrong)'],
  ['f', 'first error here: earlier steps +1, this one −1'],
  ['u / b', 'step unsure / response’s problem statement is bad (toggle)'],
  ['n', 'note on the step'],
  ['Delete', 'clear the step’s rating'],
  ['?', 'show or hide this help'],
  ['Esc', 'close this help or the reason box'],
];

export function helpOverlay(close: () => void): HTMLElement {
  const list = h('dl', { className: 'shortcuts' });
  for (const [key, what] of SHORTCUTS) list.append(h('dt', {}, h('kbd', {}, key)), h('dd', {}, what));
  return h(
    'div',
    { className: 'overlay', testId: 'help', role: 'dialog', ariaLabel: 'Keyboard shortcuts', attrs: { 'aria-modal': 'true' } },
    h('div', { className: 'overlay-box' }, h('h2', {}, 'Keyboard shortcuts'), list, button({ label: 'Close', testId: 'help-close', onClick: close })),
  );
}

/** Asks for the reason a label override needs; the reason is required by the log. */
export function reasonForm(label: string, submit: (reason: string) => void, cancel: () => void): { element: HTMLElement; focus(): void } {
  return textForm(
    {
      title: `Set label: ${label}`,
      dialogLabel: `Override label to ${label}`,
      fieldLabel: `Reason for setting ${label}`,
      placeholder: 'Why this label? (required)',
      submitLabel: 'Set label',
      required: 'A reason is required.',
      testId: 'override',
    },
    submit,
    cancel,
  );
}

export interface TextFormOptions {
  title: string;
  dialogLabel: string;
  fieldLabel: string;
  placeholder: string;
  submitLabel: string;
  /** The message shown for an empty text; omitted when empty is allowed. */
  required?: string;
  /** Prefix of the form's test ids: `-form`, `-reason`, `-submit`, `-cancel`. */
  testId: string;
}

/** A one-field dialog: Enter submits, Shift+Enter is a new line, Escape (handled by the page) cancels. */
export function textForm(o: TextFormOptions, submit: (text: string) => void, cancel: () => void): { element: HTMLElement; focus(): void } {
  const field = textArea({ label: o.fieldLabel, placeholder: o.placeholder, testId: `${o.testId}-reason` });
  const error = h('p', { className: 'form-error', role: 'alert' });
  const ok = () => {
    const text = field.value().trim();
    if (!text && o.required) {
      error.textContent = o.required;
      return;
    }
    submit(text);
  };
  const element = h(
    'div',
    { className: 'overlay', testId: `${o.testId}-form`, role: 'dialog', ariaLabel: o.dialogLabel, attrs: { 'aria-modal': 'true' } },
    h(
      'div',
      { className: 'overlay-box' },
      h('h2', {}, o.title),
      field.element,
      error,
      h(
        'div',
        { className: 'toolbar' },
        button({ label: o.submitLabel, testId: `${o.testId}-submit`, onClick: ok }),
        button({ label: 'Cancel', testId: `${o.testId}-cancel`, secondary: true, onClick: cancel }),
      ),
    ),
  );
  element.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || !e.shiftKey)) {
      e.preventDefault();
      ok();
    }
  });
  return { element, focus: () => field.focus() };
}
