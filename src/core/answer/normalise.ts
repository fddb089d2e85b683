import { FUNCTION_NAMES } from './evaluate';
import { braceGroup } from './extract';
import { splitTopLevel } from './structures';

/** Answers longer than this are compared as trimmed strings only: no real answer is this long. */
export const MAX_ANSWER_CHARS = 4000;

const UNIT_WORDS = [
  'units?', 'sq\\.?\\s*units?', 'square\\s+units?', 'cubic\\s+units?',
  'cm', 'centimet(?:er|re)s?', 'mm', 'millimet(?:er|re)s?', 'km', 'kilomet(?:er|re)s?', 'm', 'met(?:er|re)s?',
  'inch(?:es)?', 'in', 'feet', 'foot', 'ft', 'yards?', 'yd', 'miles?', 'mi', 'mph', 'km/h', 'm/s',
  'degrees?', 'deg', 'radians?', 'rad', 'dollars?', 'cents?', 'euros?', 'pounds?', 'lbs?', 'ounces?', 'oz',
  'hours?', 'hrs?', 'h', 'minutes?', 'mins?', 'seconds?', 'secs?', 's', 'days?', 'weeks?', 'months?', 'years?',
  'grams?', 'g', 'kg', 'kilograms?', 'liters?', 'litres?', 'l', 'ml', 'gallons?', 'points?', 'people', 'persons?',
  // Physical units of Minerva's answers; single letters (J, K, N) are left out: `5 n` is 5n.
  'eV', 'keV', 'MeV', 'GeV', 'Hz', 'kHz', 'MHz', 'GHz', 'nm', 'kPa', 'Pa', 'atm', 'mol', 'moles?', 'ergs?',
  'joules?', 'kelvins?', 'watts?', 'newtons?', 'pascals?', 'parsecs?', 'kpc', 'Mpc', 'pc', 'AU', 'light[-\\s]?years?',
  'students?', 'ways?', 'times', 'pages?', 'items?', 'apples?', 'eggs?', 'marbles?',
];
const UNIT_PHRASE = `(?:(?:square|sq\\.?|cubic)\\s*)?(?:${UNIT_WORDS.join('|')})(?:\\^\\{?[23]\\}?|\\s*squared|\\s*cubed)?`;
/** A `\text{…}` group that holds only a unit: dropped, it never changes the answer. */
const UNIT_ONLY = new RegExp(`^\\s*(?:${UNIT_PHRASE})\\s*(?:\\.\\s*)?$`, 'i');
/** A unit written as a plain word after a number: `12 cm`, `5 dollars`. */
const TRAILING_UNIT = new RegExp(`(\\d|\\})\\s+(?:${UNIT_PHRASE})\\s*$`, 'i');

/** `50 percent`, `50\text{ pct}`, `50 percentage points`: the percent sign written as a word. */
const PERCENT_WORD = /(\d|\}|\))\s*(?:pct|percent(?:age)?|per\s*cent)(?:\s+points?)?\.?$/i;

/** `\operatorname{gcd}` → `\gcd` for the functions the evaluator knows: the same function, spelt out. */
const OPERATOR_NAME = /\\(?:operatorname\*?|mathrm)\s*\{\s*([a-zA-Z]+)\s*\}/g;

function knownOperatorNames(s: string): string {
  if (!s.includes('\\operatorname') && !s.includes('\\mathrm')) return s;
  return s.replace(OPERATOR_NAME, (whole, name: string) => (FUNCTION_NAMES.has(name) ? `\\${name} ` : whole));
}

/** Names a model writes without a backslash in plain-text answers: `sqrt(2)`, `pi/4`, `2 theta`. */
const PLAIN_CONSTANTS = 'pi|hbar|theta|alpha|beta|gamma|delta|lambda|mu|phi|omega|sigma|tau|rho|epsilon|psi|zeta|kappa|Delta|Gamma|Omega|Phi|Lambda|Sigma|Theta|Psi';
/** Functions, only when an argument follows, so `5 sec` stays five seconds. */
const PLAIN_FUNCTIONS = 'sqrt|sin|cos|tan|cot|sec|csc|arcsin|arccos|arctan|sinh|cosh|tanh|ln|log|exp|floor|ceil|gcd|lcm';
const PLAIN_NAME = new RegExp(`(?<![\\\\a-zA-Z])(?:(${PLAIN_CONSTANTS})|(${PLAIN_FUNCTIONS})(?=\\s*[({^_]|\\s+[a-zA-Z0-9]))(?![a-zA-Z])`, 'g');

/** Two letters not after a backslash: the least a plain name (`pi`, `sqrt`, `degrees`, `in`) needs. */
const TWO_PLAIN_LETTERS = /(?<![\\a-zA-Z])[a-zA-Z]{2}/;

/** Plain-text mathematics as models write it, in the LaTeX the later stages read. */
function latexFromPlain(s: string): string {
  // Each rewrite is tried only when its text is there: most answers hold none of them.
  if (TWO_PLAIN_LETTERS.test(s)) {
    s = s
      .replace(PLAIN_NAME, (_m, constant: string | undefined, fn: string | undefined) => `\\${constant ?? fn} `)
      .replace(/(?<![\\a-zA-Z])(?:infinity|inf)(?![a-zA-Z])/g, '\\infty ')
      // `(45 degrees, 60 degrees)`: the word, like `^\circ`, goes after any number.
      .replace(/(\d)\s*degrees?(?![a-zA-Z])/g, '$1')
      .replace(/^([a-zA-Z])\s+in\s+(?=[[(]|\\\{)/, '$1\\in ');
  }
  if (s.includes('+/-') || s.includes('\u00b1')) s = s.replace(/\+\/-|\u00b1/g, '\\pm ');
  // `!=` is "not equal", but `5!=120` is a factorial.
  if (s.includes('!=')) s = s.replace(/(?<![\d)!}])!=/g, '\\neq ');
  // `(0,1) U (2,3)`: a capital U between intervals is their union; plain braces after it a set.
  if (s.includes('U')) s = s.replace(/([)\]}])\s*U\s*(?=[([{]|\\\{)/g, '$1\\cup ');
  if (s.includes('\\cup')) s = s.replace(/\\cup\s*\{([^{}]*)\}/g, '\\cup\\{$1\\}');
  // `137 1/2` is a mixed number.
  if (s.includes('/')) s = s.replace(/^(-?\d+)\s+(\d+)\/(\d+)$/, '$1\\frac{$2}{$3}');
  // Without any LaTeX, `2^1009` means 2 to the 1009th, not LaTeX's 2^1 followed by 009.
  if (!/[\\{]/.test(s)) s = s.replace(/\^(\d{2,})/g, '^{$1}');
  return s;
}

/** Thousands separators other than the comma: `1'000`, `1.000.000`, on a whole number only. */
const APOSTROPHE_GROUPS = /^-?\d{1,3}(?:'\d{3})+$/;
const DOT_GROUPS = /^-?\d{1,3}(?:\.\d{3}){2,}$/;

/** A matrix in `\left( … \right)` or `( … )`: the brackets are the matrix's own. */
const WRAPPED_MATRIX = /^[([](\\begin\{([pbvBV]?matrix|array)\}.*\\end\{\2\})[)\]]$/;

const TEXT_COMMANDS = ['\\text', '\\textbf', '\\textit', '\\textrm', '\\mbox', '\\mathrm', '\\mathbf', '\\mathit', '\\textnormal', '\\operatorname', '\\mathsf'];
const TEXT_NAMES = TEXT_COMMANDS.map((c) => c.replace(/\\/g, '\\\\')).join('|');
const TEXT_BRACED = new RegExp(`(?:${TEXT_NAMES})\\{`, 'g');
const TEXT_SPACED = new RegExp(`(?:${TEXT_NAMES}) \\{`, 'g');

/**
 * The next text command to unwrap and its `{`: the first `\text{` of any command, or an earlier
 * `\text {` of a command never written `\text{` in `s`. Two searches of the text, where a
 * search per command (and per spelling) read it twenty-two times.
 */
function nextTextCommand(s: string): { at: number; open: number } | null {
  TEXT_BRACED.lastIndex = 0;
  const braced = TEXT_BRACED.exec(s);
  const bracedNames = new Map<string, boolean>();
  TEXT_SPACED.lastIndex = 0;
  for (let m = TEXT_SPACED.exec(s); m && (!braced || m.index < braced.index); m = TEXT_SPACED.exec(s)) {
    const name = m[0].slice(0, -2);
    if (!bracedNames.has(name)) bracedNames.set(name, s.includes(name + '{'));
    if (!bracedNames.get(name)) return { at: m.index, open: m.index + m[0].length - 1 };
  }
  return braced ? { at: braced.index, open: braced.index + braced[0].length - 1 } : null;
}

/** Replaces `\text{x}` and friends by `x`, dropping groups that hold only a unit. */
function unwrapText(s: string): string {
  if (!s.includes('\\')) return s;
  for (let guard = 0; guard < 64; guard++) {
    const next = nextTextCommand(s);
    if (!next) return s;
    const { at, open } = next;
    const group = braceGroup(s, open);
    if (!group) return s.slice(0, at) + s.slice(open + 1);
    // A unit alone is dropped, unless it is the whole answer.
    const whole = s.slice(0, at).trim() === '' && s.slice(group.end).trim() === '';
    const dropped = UNIT_ONLY.test(group.content) && !whole;
    // `\text{ cm}^2`: the power belongs to the unit and goes with it.
    const after = dropped ? s.slice(group.end).replace(/^\s*\^\s*(?:\{\s*)?[23]\s*\}?/, '') : s.slice(group.end);
    s = s.slice(0, at) + (dropped ? '' : group.content) + after;
  }
  return s;
}

/** `\frac12` → `\frac{1}{2}`, `\sqrt2` → `\sqrt{2}`: the short forms models write. */
function braceShortArgs(s: string): string {
  if (!s.includes('\\frac') && !s.includes('\\sqrt')) return s;
  return s
    .replace(/\\frac(\d)(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\frac(\d)\{/g, '\\frac{$1}{')
    .replace(/\\frac\{([^{}]*)\}(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\sqrt(\d+)/g, '\\sqrt{$1}')
    .replace(/\\sqrt([a-zA-Z])/g, '\\sqrt{$1}');
}

const SPACING = /(?<!\\)\\[,;:! ]|\\q?quad|~|\\hspace\{[^}]{0,64}\}|\\displaystyle|\\(?:big|Big|bigg|Bigg)[lr]?(?![a-zA-Z])/g;

/** A single-letter (optionally subscripted) or Greek name on the left of `=`: `x = 3`, `k=2`, `\theta = …`. */
const ASSIGNED_NAME = /^(?:[a-zA-Z](?:_\{?\\?[a-zA-Z0-9]+\}?)?|\\[a-zA-Z]+|[a-zA-Z]\([a-zA-Z]\))$/;

/**
 * One spelling per symbol, in this order. Each rewrite names text that every match contains,
 * and is tried only when that text is there: most answers hold few of them, and a search for
 * a fixed string costs far less than a regular expression run over the answer.
 */
const SPELLINGS: readonly (readonly [when: readonly string[], pattern: RegExp, replacement: string])[] = [
  [['\r', '\n', '\t'], /[\r\n\t]/g, ' '],
  // MATH writes thousands as `10,\!080` and `11,\! 111,\! 100`; `\!` is a negative space, never a gap.
  [[',\\!'], /(\d),\\!\s*(?=\d{3}(?!\d))/g, '$1,'],
  [['\\!'], /\\!/g, ''],
  [['\u2212'], /\u2212/g, '-'],
  [['\u2264'], /\u2264/g, '\\leq '],
  [['\u2265'], /\u2265/g, '\\geq '],
  [['\u2260'], /\u2260/g, '\\neq '],
  [['\u00d7'], /\u00d7/g, '\\times '],
  [['\u03c0'], /\u03c0/g, '\\pi '],
  [['\u221e'], /\u221e/g, '\\infty '],
  [['\u00b0'], /\u00b0/g, ''],
  [['\\$'], /\\\$/g, ''],
  [['$'], /\$/g, ''],
  [['\\(', '\\)'], /^\\\(|\\\)$/g, ''],
  [['\\[', '\\]'], /^\\\[|\\\]$/g, ''],
  [['\\left', '\\right'], /\\left\s*\\?\.|\\right\s*\\?\./g, ''],
  [['\\left', '\\right'], /\\left|\\right/g, ''],
  [['\\dfrac', '\\tfrac', '\\cfrac'], /\\[dtc]frac/g, '\\frac'],
  [['\\dbinom', '\\tbinom'], /\\[dt]binom/g, '\\binom'],
  [['\\lbrace'], /\\lbrace/g, '\\{'],
  [['\\rbrace'], /\\rbrace/g, '\\}'],
  [['\\lvert', '\\rvert'], /\\[lr]vert/g, '|'],
  [['\\mid'], /\\mid/g, '|'],
  [['{,}'], /\{,\}/g, ','],
  [['\\circ'], /\^\s*(?:\{\s*)?\\circ\s*\}?/g, ''],
  [['\\circ', '\\degree'], /\\circ|\\degree/g, ''],
  [['\\%'], /\\%/g, '%'],
  [['\\le'], /\\le(?:qslant)?(?![a-zA-Z])/g, '\\leq'],
  [['\\ge'], /\\ge(?:qslant)?(?![a-zA-Z])/g, '\\geq'],
  [['<='], /<=/g, '\\leq '],
  [['>='], />=/g, '\\geq '],
  [['\\lt'], /\\lt(?![a-zA-Z])/g, '<'],
  [['\\gt'], /\\gt(?![a-zA-Z])/g, '>'],
  [['\\ne'], /\\ne(?![a-zA-Z])/g, '\\neq'],
  [['\\inf'], /\\infinity|\\inf(?![a-zA-Z])/g, '\\infty'],
  [['\\approx', '\\sim'], /^\s*(?:\\approx|\\sim|\\simeq)\s*/, ''],
  [['_{'], /_\{(\w)\}/g, '_$1'],
];

function rewriteSpellings(s: string): string {
  for (const [when, pattern, replacement] of SPELLINGS) {
    if (when.some((text) => s.includes(text))) s = s.replace(pattern, replacement);
  }
  return s;
}

/**
 * `, and `, ` or `: the leftmost match of `/,?\s+(?:and|or)\s+/` never starts inside a run of
 * spaces (its start would match too), so a start there is not tried: 4,000 spaces with no
 * "and" after them cost one pass, not one per space.
 */
const AND_OR = /(?:,|(?<![\s,]))\s+(?:and|or)\s+/g;

/** `s` without its trailing run of `.` and `\\` (what `/(?:\.|\\\\)+$/` removes), read from the end. */
function withoutTrailingStops(s: string): string {
  let end = s.length;
  for (;;) {
    if (s.endsWith('.', end)) end -= 1;
    else if (s.endsWith('\\\\', end)) end -= 2;
    else return s.slice(0, end);
  }
}

/**
 * Canonical text of an answer: the same mathematical answer written the ways models and
 * references write it becomes the same string. Never throws. `keepAssignment` keeps a
 * leading `y =`, for comparing against an equation.
 */
export function normaliseAnswer(input: string, opts: { keepAssignment?: boolean } = {}): string {
  if (typeof input !== 'string') return '';
  let s = input.trim();
  if (s.length > MAX_ANSWER_CHARS) return s;
  const hash = s.lastIndexOf('####');
  if (hash >= 0) s = s.slice(hash + 4);
  s = rewriteSpellings(s);
  s = latexFromPlain(unwrapText(knownOperatorNames(s)));
  // Every percent word holds `pc` or `pe`, in any case.
  if (/p[ce]/i.test(s)) s = s.replace(PERCENT_WORD, '$1%');
  // `3 \text{ and } 5`, `x=5 \text{ or } x=-1`, `1, 2, and 3` list the answers.
  if (s.includes('and') || s.includes('or')) s = s.replace(AND_OR, ',');
  if (s.includes('\\varnothing')) s = s.replace(/\\varnothing/g, '\\emptyset');
  if (s.includes('\\') || s.includes('~')) s = s.replace(SPACING, ' ');
  s = s.trim();
  const spaced = /\s/.test(s);
  if (spaced) s = s.replace(TRAILING_UNIT, '$1').trim();
  // `1, 234` with a space is a list; `1,234` is one number.
  const spacedCommas = spaced && /,\s/.test(s);
  // Spaces go, except one between a command and a letter: `\cot x` must not become `\cotx`.
  if (spaced || s.includes('\u0000')) s = s.replace(/(\\[a-zA-Z]+)\s+(?=[a-zA-Z])/g, '$1\u0000').replace(/\s+/g, '').replace(/\u0000/g, ' ');
  if (s.endsWith('.') || s.endsWith('\\')) s = withoutTrailingStops(s);
  if (!opts.keepAssignment) s = stripAssignment(s);
  s = braceShortArgs(s);
  if (!spacedCommas && /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$/.test(s)) s = s.replace(/,/g, '');
  if (APOSTROPHE_GROUPS.test(s)) s = s.replace(/'/g, '');
  if (DOT_GROUPS.test(s)) s = s.replace(/\./g, '');
  s = matrixFromRows(s.replace(WRAPPED_MATRIX, '$1'));
  s = s.replace(/^(-?)\./, '$10.');
  const choice = /^\(?([A-E])\)?$/.exec(s) ?? /^\(([A-E])\).{0,40}$/.exec(s);
  if (choice) s = choice[1]!;
  // `{5}` and `(5)` around a whole number are decoration.
  while (/^\{[^{}]*\}$/.test(s)) s = s.slice(1, -1);
  return s;
}

/**
 * `[[1,2],[3,4]]` and `[[5],[-3]]`, a matrix written as a list of rows (as plain text and
 * array libraries print it), in LaTeX. Rows of unequal length stay as written.
 */
function matrixFromRows(s: string): string {
  if (!s.startsWith('[[') || !s.endsWith(']]')) return s;
  const rows = splitTopLevel(s.slice(1, -1), ',');
  if (!rows || rows.some((r) => !r.startsWith('[') || !r.endsWith(']'))) return s;
  const cells = rows.map((r) => splitTopLevel(r.slice(1, -1), ','));
  if (cells.some((c) => !c || c.length !== cells[0]!.length || c.includes(''))) return s;
  return `\\begin{pmatrix}${cells.map((c) => c!.join('&')).join('\\\\')}\\end{pmatrix}`;
}

/** Drops a leading `x =` when the answer is a single assignment, and `x \\in` before a set or interval. */
function stripAssignment(s: string): string {
  const member = /^([a-zA-Z]|\\[a-zA-Z]+)\\in(?![a-zA-Z])/.exec(s);
  if (member) return s.slice(member[0].length);
  const single = assignedValue(s);
  if (single !== null) return single;
  // `x=5,x=-1` (from `x=5 \text{ or } x=-1`) and `a=1,b=2`: the values, in their order.
  const parts = s.includes(',') ? splitTopLevel(s, ',') : null;
  if (parts && parts.length > 1) {
    const values = parts.map(assignedValue);
    if (values.every((v) => v !== null)) return values.join(',');
  }
  return s;
}

/** A tuple of names on the left of `=`: `(p,q)=(3,2)`. */
const ASSIGNED_TUPLE = /^\((?:[a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?|\\[a-zA-Z]+)(?:,(?:[a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?|\\[a-zA-Z]+))+\)$/;

/** The value of `name=value`, or null when `s` is not one assignment to a name. */
function assignedValue(s: string): string | null {
  const eq = s.indexOf('=');
  if (eq <= 0 || s.indexOf('=', eq + 1) >= 0) return null;
  const lhs = s.slice(0, eq);
  const rhs = s.slice(eq + 1);
  if (rhs === '' || /[<>!]$/.test(lhs) || lhs.endsWith('\\leq') || lhs.endsWith('\\geq')) return null;
  return ASSIGNED_NAME.test(lhs) || ASSIGNED_TUPLE.test(lhs) ? rhs : null;
}
