import katex from 'katex';

/**
 * Untrusted text with LaTeX: plain runs become text nodes, math runs go through KaTeX with
 * `trust: false` (no \href, \url, \includegraphics, \htmlClass…) and expansion limits. A
 * formula KaTeX refuses is shown as its source text. Caps keep a hostile megabyte cheap.
 */

export interface Segment {
  math: boolean;
  display: boolean;
  text: string;
}

const MAX_FORMULA_CHARS = 4_000;
const MAX_FORMULAS_PER_BLOCK = 300;
const MAX_SCAN_CHARS = 2_000_000;

const OPENERS: Array<{ open: string; close: string; display: boolean }> = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/** Splits text into plain and math segments; an unclosed delimiter stays plain text. */
export function splitMath(text: string): Segment[] {
  const out: Segment[] = [];
  const special = /[$\\]/g;
  const scan = { budget: MAX_SCAN_CHARS };
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (scan.budget <= 0) {
      // Searching for closing delimiters is bounded in total; the rest is plain text.
      plain += text.slice(i);
      break;
    }
    if (ch === '\\' && text[i + 1] === '$') {
      plain += '$';
      i += 2;
      continue;
    }
    if (ch !== '$' && ch !== '\\') {
      special.lastIndex = i;
      const next = special.exec(text);
      const j = next ? next.index : text.length;
      plain += text.slice(i, j);
      i = j;
      continue;
    }
    const opener = OPENERS.find((o) => text.startsWith(o.open, i));
    if (!opener) {
      plain += ch;
      i++;
      continue;
    }
    const start = i + opener.open.length;
    const end = findClose(text, start, opener.close, scan);
    if (end < 0 || end === start) {
      plain += opener.open;
      i = start;
      continue;
    }
    if (plain) out.push({ math: false, display: false, text: plain });
    plain = '';
    out.push({ math: true, display: opener.display, text: text.slice(start, end) });
    i = end + opener.close.length;
  }
  if (plain) out.push({ math: false, display: false, text: plain });
  return out;
}

function findClose(text: string, from: number, close: string, scan: { budget: number }): number {
  let j = from;
  const limit = Math.min(text.length, from + MAX_FORMULA_CHARS + close.length);
  scan.budget -= limit - from;
  while (j < limit) {
    if (text[j] === '\\' && close === '$') {
      j += 2;
      continue;
    }
    if (text.startsWith(close, j)) return j;
    j++;
  }
  return -1;
}

export function renderMathInto(target: HTMLElement, tex: string, display: boolean): void {
  const span = document.createElement('span');
  span.className = display ? 'math math-display' : 'math';
  try {
    katex.render(tex, span, {
      displayMode: display,
      throwOnError: true,
      trust: false,
      strict: 'ignore',
      maxExpand: 500,
      maxSize: 20,
      output: 'htmlAndMathml',
    });
  } catch {
    span.textContent = display ? `$$${tex}$$` : `$${tex}$`;
    span.className = 'math-error';
    span.title = 'This formula could not be rendered; shown as written.';
  }
  target.appendChild(span);
}

/** How many formulas KaTeX may still typeset; shared by the steps of one response. */
export interface MathBudget {
  formulas: number;
}

/** Text with math rendered, appended to `target`. Past the budget, math stays as its source text. */
export function renderRich(target: HTMLElement, text: string, budget: MathBudget = { formulas: MAX_FORMULAS_PER_BLOCK }): void {
  for (const s of splitMath(text)) {
    if (s.math && budget.formulas > 0) {
      budget.formulas--;
      renderMathInto(target, s.text, s.display);
    } else if (s.math) {
      target.appendChild(document.createTextNode(s.display ? `$$${s.text}$$` : `$${s.text}$`));
    } else {
      target.appendChild(document.createTextNode(s.text));
    }
  }
}

export function rich(tag: 'div' | 'span' | 'p', text: string, className?: string, budget?: MathBudget): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  renderRich(e, text, budget);
  return e;
}
