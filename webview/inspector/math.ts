import katex from 'katex';

/**
 * Untrusted text with LaTeX: plain runs become text nodes, math runs go through KaTeX with
 * `trust: false` (no \href, \url, \includegraphics, \htmlClass…) and expansion limits. A
 * formula KaTeX refuses is shown as its source text. Caps keep a hostile megabyte cheap:
 * KaTeX takes tens of microseconds per character of a formula (a 4,000-character matrix
 * about 120 ms), so what one block (a response, the question, an extracted answer) may
 * typeset is capped in formulas, in characters per formula and in characters in all; math
 * past a cap is shown as its source, in a text node.
 */

export interface Segment {
  math: boolean;
  display: boolean;
  text: string;
}

/** How far a closing delimiter is looked for; past it the opener is plain text. */
const MAX_DELIMITED_CHARS = 4_000;
/** Longest formula KaTeX typesets; a longer one is shown as written. */
export const MAX_FORMULA_CHARS = 1_000;
/** Formulas one block may typeset. */
export const MAX_FORMULAS_PER_BLOCK = 200;
/** Characters of math one block may typeset, all formulas together. */
export const MAX_MATH_CHARS_PER_BLOCK = 5_000;
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
  const limit = Math.min(text.length, from + MAX_DELIMITED_CHARS + close.length);
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

/** What KaTeX may still typeset in one block; shared by the steps of one response. */
export interface MathBudget {
  formulas: number;
  chars: number;
}

/** The budget of one block: a response (all its steps), the question, an extracted answer. */
export function mathBudget(): MathBudget {
  return { formulas: MAX_FORMULAS_PER_BLOCK, chars: MAX_MATH_CHARS_PER_BLOCK };
}

/** Typesets `tex` if the budget allows it (and takes it from the budget). */
function affordable(budget: MathBudget, tex: string): boolean {
  if (budget.formulas <= 0 || tex.length > MAX_FORMULA_CHARS || tex.length > budget.chars) return false;
  budget.formulas--;
  budget.chars -= tex.length;
  return true;
}

/** Text with math rendered, appended to `target`. Past the budget, math stays as its source text. */
export function renderRich(target: HTMLElement, text: string, budget: MathBudget = mathBudget()): void {
  for (const s of splitMath(text)) {
    if (s.math && affordable(budget, s.text)) {
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
