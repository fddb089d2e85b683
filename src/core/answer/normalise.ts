import { braceGroup } from './extract';

/** Answers longer than this are compared as trimmed strings only: no real answer is this long. */
export const MAX_ANSWER_CHARS = 4000;

const UNIT_WORDS = [
  'units?', 'sq\\.?\\s*units?', 'square\\s+units?', 'cubic\\s+units?',
  'cm', 'centimet(?:er|re)s?', 'mm', 'millimet(?:er|re)s?', 'km', 'kilomet(?:er|re)s?', 'm', 'met(?:er|re)s?',
  'inch(?:es)?', 'in', 'feet', 'foot', 'ft', 'yards?', 'yd', 'miles?', 'mi', 'mph', 'km/h', 'm/s',
  'degrees?', 'deg', 'radians?', 'rad', 'dollars?', 'cents?', 'euros?', 'pounds?', 'lbs?', 'ounces?', 'oz',
  'hours?', 'hrs?', 'h', 'minutes?', 'mins?', 'seconds?', 'secs?', 's', 'days?', 'weeks?', 'months?', 'years?',
  'grams?', 'g', 'kg', 'kilograms?', 'liters?', 'litres?', 'l', 'ml', 'gallons?', 'points?', 'people', 'persons?',
  'students?', 'ways?', 'times', 'percent', 'per\\s*cent', 'pages?', 'items?', 'apples?', 'eggs?', 'marbles?',
];
const UNIT_PHRASE = `(?:(?:square|sq\\.?|cubic)\\s*)?(?:${UNIT_WORDS.join('|')})(?:\\^\\{?[23]\\}?|\\s*squared|\\s*cubed)?`;
/** A `\text{…}` group that holds only a unit: dropped, it never changes the answer. */
const UNIT_ONLY = new RegExp(`^\\s*(?:${UNIT_PHRASE})\\s*\\.?\\s*$`, 'i');
/** A unit written as a plain word after a number: `12 cm`, `5 dollars`. */
const TRAILING_UNIT = new RegExp(`(\\d|\\})\\s+(?:${UNIT_PHRASE})\\s*$`, 'i');

const TEXT_COMMANDS = ['\\text', '\\textbf', '\\textit', '\\textrm', '\\mbox', '\\mathrm', '\\mathbf', '\\mathit', '\\textnormal', '\\operatorname', '\\mathsf'];

/** Replaces `\text{x}` and friends by `x`, dropping groups that hold only a unit. */
function unwrapText(s: string): string {
  for (let guard = 0; guard < 64; guard++) {
    let at = -1;
    let cmd = '';
    for (const c of TEXT_COMMANDS) {
      let i = s.indexOf(c + '{');
      if (i < 0) i = s.indexOf(c + ' {');
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        cmd = c;
      }
    }
    if (at < 0) return s;
    const open = s.indexOf('{', at + cmd.length);
    const group = braceGroup(s, open);
    if (!group) return s.slice(0, at) + s.slice(open + 1);
    // A unit alone is dropped, unless it is the whole answer.
    const whole = s.slice(0, at).trim() === '' && s.slice(group.end).trim() === '';
    const inner = UNIT_ONLY.test(group.content) && !whole ? '' : group.content;
    s = s.slice(0, at) + inner + s.slice(group.end);
  }
  return s;
}

/** `\frac12` → `\frac{1}{2}`, `\sqrt2` → `\sqrt{2}`: the short forms models write. */
function braceShortArgs(s: string): string {
  return s
    .replace(/\\frac(\d)(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\frac(\d)\{/g, '\\frac{$1}{')
    .replace(/\\frac\{([^{}]*)\}(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\sqrt(\d+)/g, '\\sqrt{$1}')
    .replace(/\\sqrt([a-zA-Z])/g, '\\sqrt{$1}');
}

const SPACING = /(?<!\\)\\[,;:! ]|\\q?quad|~|\\hspace\{[^}]*\}|\\displaystyle|\\(?:big|Big|bigg|Bigg)[lr]?(?![a-zA-Z])/g;

/** A single-letter (optionally subscripted) or Greek name on the left of `=`: `x = 3`, `k=2`, `\theta = …`. */
const ASSIGNED_NAME = /^(?:[a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?|\\[a-zA-Z]+|[a-zA-Z]\([a-zA-Z]\))$/;

/**
 * Canonical text of an answer: the same mathematical answer written the ways models and
 * references write it becomes the same string. Never throws.
 */
export function normaliseAnswer(input: string): string {
  if (typeof input !== 'string') return '';
  let s = input.trim();
  if (s.length > MAX_ANSWER_CHARS) return s;
  const hash = s.lastIndexOf('####');
  if (hash >= 0) s = s.slice(hash + 4);
  s = s
    .replace(/[\r\n\t]/g, ' ')
    .replace(/\u2212/g, '-')
    .replace(/\u00d7/g, '\\times ')
    .replace(/\u03c0/g, '\\pi ')
    .replace(/\u221e/g, '\\infty ')
    .replace(/\u00b0/g, '')
    .replace(/\\\$/g, '')
    .replace(/\$/g, '')
    .replace(/^\\\(|\\\)$/g, '')
    .replace(/^\\\[|\\\]$/g, '')
    .replace(/\\left\s*\\?\.|\\right\s*\\?\./g, '')
    .replace(/\\left|\\right/g, '')
    .replace(/\\[dtc]frac/g, '\\frac')
    .replace(/\\[dt]binom/g, '\\binom')
    .replace(/\\lbrace/g, '\\{')
    .replace(/\\rbrace/g, '\\}')
    .replace(/\\[lr]vert/g, '|')
    .replace(/\\mid/g, '|')
    .replace(/\{,\}/g, ',')
    .replace(/\^\s*\{?\s*\\circ\s*\}?/g, '')
    .replace(/\\circ|\\degree/g, '')
    .replace(/\\%|%/g, '%')
    .replace(/\\le(?![a-zA-Z])/g, '\\leq')
    .replace(/\\ge(?![a-zA-Z])/g, '\\geq')
    .replace(/\\infinity|\\inf(?![a-zA-Z])/g, '\\infty')
    .replace(/^\s*(?:\\approx|\\sim|\\simeq)\s*/, '')
    .replace(/_\{(\w)\}/g, '_$1');
  s = unwrapText(s);
  // `3 \text{ and } 5` lists two answers.
  s = s.replace(/\s+and\s+/g, ',').replace(/\\varnothing/g, '\\emptyset');
  s = s.replace(SPACING, ' ').trim();
  s = s.replace(TRAILING_UNIT, '$1').trim();
  // `1, 234` with a space is a list; `1,234` is one number.
  const spacedCommas = /,\s/.test(s);
  // Spaces go, except one between a command and a letter: `\cot x` must not become `\cotx`.
  s = s.replace(/(\\[a-zA-Z]+)\s+(?=[a-zA-Z])/g, '$1\u0000').replace(/\s+/g, '').replace(/\u0000/g, ' ');
  s = s.replace(/(?:\.|\\\\)+$/, '');
  s = stripAssignment(s);
  s = braceShortArgs(s);
  if (!spacedCommas && /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$/.test(s)) s = s.replace(/,/g, '');
  s = s.replace(/^(-?)\./, '$10.');
  const choice = /^\(?([A-E])\)?$/.exec(s) ?? /^\(([A-E])\).{0,40}$/.exec(s);
  if (choice) s = choice[1]!;
  // `{5}` and `(5)` around a whole number are decoration.
  while (/^\{[^{}]*\}$/.test(s)) s = s.slice(1, -1);
  return s;
}

/** Drops a leading `x =` when the answer is a single assignment, and `x \\in` before a set or interval. */
function stripAssignment(s: string): string {
  const member = /^([a-zA-Z]|\\[a-zA-Z]+)\\in(?![a-zA-Z])/.exec(s);
  if (member) return s.slice(member[0].length);
  const eq = s.indexOf('=');
  if (eq <= 0 || s.indexOf('=', eq + 1) >= 0) return s;
  const lhs = s.slice(0, eq);
  const rhs = s.slice(eq + 1);
  if (rhs === '' || /[<>]$/.test(lhs) || lhs.endsWith('\\leq') || lhs.endsWith('\\geq')) return s;
  return ASSIGNED_NAME.test(lhs) ? rhs : s;
}
