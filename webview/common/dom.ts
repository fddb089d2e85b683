/**
 * The inspector builds its DOM only through these functions: text goes in as text nodes and
 * attributes come from code, so model output can never become markup.
 */
export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  testId?: string;
  ariaLabel?: string;
  role?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (options.className) e.className = options.className;
  if (options.testId) e.dataset.testid = options.testId;
  if (options.ariaLabel) e.setAttribute('aria-label', options.ariaLabel);
  if (options.role) e.setAttribute('role', options.role);
  if (options.title) e.title = options.title;
  for (const [k, v] of Object.entries(options.attrs ?? {})) e.setAttribute(k, v);
  append(e, ...children);
  return e;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}

export function formatScore(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}
