import { button, textArea } from './components/index';
import { h } from './dom';

export const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous problem: your own unreviewed ones when reviews are assigned (hsstar assign), else in this group'],
  ['1 / 2 / 3', 'set label Inlier / Boundary / Outlier (asks for a reason)'],
  ['r', 'mark reviewed (again to unmark)'],
  ['Ctrl+Z / Cmd+Z', 'undo the last edit'],
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
  const reason = textArea({ label: `Reason for setting ${label}`, placeholder: 'Why this label? (required)', testId: 'override-reason' });
  const error = h('p', { className: 'form-error', role: 'alert' });
  const ok = () => {
    const text = reason.value().trim();
    if (!text) {
      error.textContent = 'A reason is required.';
      return;
    }
    submit(text);
  };
  const element = h(
    'div',
    { className: 'overlay', testId: 'override-form', role: 'dialog', ariaLabel: `Override label to ${label}`, attrs: { 'aria-modal': 'true' } },
    h(
      'div',
      { className: 'overlay-box' },
      h('h2', {}, `Set label: ${label}`),
      reason.element,
      error,
      h(
        'div',
        { className: 'toolbar' },
        button({ label: 'Set label', testId: 'override-submit', onClick: ok }),
        button({ label: 'Cancel', testId: 'override-cancel', secondary: true, onClick: cancel }),
      ),
    ),
  );
  element.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || !e.shiftKey)) {
      e.preventDefault();
      ok();
    }
  });
  return { element, focus: () => reason.focus() };
}
