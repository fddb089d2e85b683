/**
 * Answers made of several parts: tuples and ordered pairs, intervals and unions of
 * intervals, sets, bare lists, matrices. Splitting works on the normalised text, at the top
 * level only, so `(\frac{1}{2}, 3)` has two parts.
 */
export type Structure =
  | { kind: 'interval'; open: string; close: string; items: string[] }
  | { kind: 'set'; items: string[] }
  | { kind: 'list'; items: string[] }
  | { kind: 'union'; items: string[] }
  | { kind: 'matrix'; rows: string[][] };

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** How the bracket depth changes at `s[i]`; an escaped brace (`\{`, `\}`) counts, and takes two characters. */
function depthChange(s: string, i: number): number {
  const c = s[i]!;
  if (c === '\\') return s[i + 1] === '{' ? 1 : s[i + 1] === '}' ? -1 : 0;
  return OPENERS.has(c) ? 1 : CLOSERS.has(c) ? -1 : 0;
}

/** Splits at `sep` where no bracket is open; null when brackets do not balance. */
export function splitTopLevel(s: string, sep: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const change = depthChange(s, i);
    if (change !== 0) {
      depth += change;
      if (s[i] === '\\') i++;
    } else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  parts.push(s.slice(start));
  return parts;
}

/** True when the bracket opening at 0 closes at the last character (`closeLen` long). */
function wrapsWhole(s: string, closeLen: number): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const change = depthChange(s, i);
    depth += change;
    if (change !== 0 && s[i] === '\\') i++;
    // Intervals mix brackets, `[0,1)`: only the depth counts.
    if (depth === 0 && i < s.length - closeLen) return false;
  }
  return depth === 0;
}

const MATRIX = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[lcr|]*\})?(.*)\\end\{\1\}$/;

/** The structure of a normalised answer, or null when it is a single value. */
export function parseStructure(s: string): Structure | null {
  const m = MATRIX.exec(s);
  if (m) {
    const rows = m[2]!.split('\\\\').filter((r) => r !== '').map((r) => r.split('&'));
    return { kind: 'matrix', rows };
  }
  if (s.includes('\\cup')) {
    const items = splitTopLevel(s, '\\cup');
    if (items && items.length > 1) return { kind: 'union', items };
  }
  if (s.startsWith('\\{') && s.endsWith('\\}') && wrapsWhole(s, 2)) {
    const items = splitTopLevel(s.slice(2, -2), ',');
    if (items) return { kind: 'set', items: items.filter((x) => x !== '') };
  }
  const first = s[0];
  const last = s[s.length - 1];
  if ((first === '(' || first === '[') && (last === ')' || last === ']') && wrapsWhole(s, 1)) {
    const items = splitTopLevel(s.slice(1, -1), ',');
    if (items && items.length > 1) return { kind: 'interval', open: first, close: last, items };
  }
  const items = splitTopLevel(s, ',');
  if (items && items.length > 1) return { kind: 'list', items };
  // `1\pm\sqrt{5}` is the two answers 1+\sqrt{5} and 1-\sqrt{5}.
  const pm = splitTopLevel(s, '\\pm');
  if (pm && pm.length === 2 && pm[1] !== '') {
    const [a, b] = pm as [string, string];
    return { kind: 'list', items: [`${a}+${b}`, `${a}-${b}`] };
  }
  const semi = splitTopLevel(s, ';');
  if (semi && semi.length > 1) return { kind: 'list', items: semi };
  return null;
}
