import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextArea,
} from '@vscode/webview-ui-toolkit';

/**
 * The only place that knows about @vscode/webview-ui-toolkit (1.4.0 is its last release):
 * the rest of the inspector asks for controls here, so replacing the toolkit touches this
 * folder alone. Every label is set as text, never as markup.
 */

let registered = false;

export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextArea(),
  );
}

export interface ButtonOptions {
  label: string;
  ariaLabel?: string;
  testId?: string;
  secondary?: boolean;
  icon?: boolean;
  title?: string;
  disabled?: boolean;
  onClick: () => void;
}

export function button(o: ButtonOptions): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = o.label;
  b.setAttribute('aria-label', o.ariaLabel ?? o.label);
  if (o.testId) b.dataset.testid = o.testId;
  if (o.secondary) b.setAttribute('appearance', 'secondary');
  if (o.icon) b.setAttribute('appearance', 'icon');
  if (o.title) b.title = o.title;
  if (o.disabled) b.setAttribute('disabled', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) o.onClick();
  });
  return b;
}

/** A count shown beside a heading. Plain markup: the toolkit's badge sets an inline style attribute, which the CSP refuses. */
export function badge(text: string, ariaLabel?: string): HTMLElement {
  const b = document.createElement('span');
  b.className = 'count-badge';
  b.textContent = text;
  if (ariaLabel) b.setAttribute('aria-label', ariaLabel);
  return b;
}

/** A label chip; plain markup for the same reason as badge(). */
export function tag(text: string, testId?: string): HTMLElement {
  const t = document.createElement('span');
  t.className = 'tag';
  t.textContent = text;
  if (testId) t.dataset.testid = testId;
  return t;
}

export function divider(): HTMLElement {
  const d = document.createElement('vscode-divider');
  d.setAttribute('role', 'separator');
  return d;
}

export interface TextAreaControl {
  element: HTMLElement;
  value(): string;
  focus(): void;
}

export function textArea(o: { label: string; placeholder?: string; testId?: string }): TextAreaControl {
  const t = document.createElement('vscode-text-area') as HTMLElement & { value: string };
  t.setAttribute('aria-label', o.label);
  t.setAttribute('resize', 'vertical');
  if (o.placeholder) t.setAttribute('placeholder', o.placeholder);
  if (o.testId) t.dataset.testid = o.testId;
  t.textContent = o.label;
  return { element: t, value: () => String(t.value ?? ''), focus: () => t.focus() };
}

export interface DropdownControl {
  element: HTMLElement;
  value(): string;
}

export function dropdown(o: { label: string; options: Array<{ value: string; text: string }>; testId?: string }): DropdownControl {
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  d.setAttribute('aria-label', o.label);
  if (o.testId) d.dataset.testid = o.testId;
  for (const opt of o.options) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', opt.value);
    option.textContent = opt.text;
    d.append(option);
  }
  return { element: d, value: () => String(d.value ?? '') };
}
