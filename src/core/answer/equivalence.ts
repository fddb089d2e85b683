import { deadlineIn, deadlinePassed, type Deadline } from './deadline';
import { compile, sampleBindings } from './evaluate';
import { MAX_ANSWER_CHARS, normaliseAnswer } from './normalise';
import { closeEnough, numbersEqual, parseNumber } from './numbers';
import { parseRelation, relationsProportional } from './relations';
import { parseStructure, splitTopLevel, type Structure } from './structures';
import { symbolicEqual } from './symbolic';

/** The common graders' bound on one comparison. */
export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_PARTS = 64;
const MAX_NESTED_STRUCTURES = 4;
/** Expressions with variables are equal when they agree at this many sample points… */
const AGREEING_POINTS = 3;
/** …out of at most this many tried. */
const SAMPLE_SETS = 12;
/** Free variables beyond this are left to the engine. */
const MAX_VARIABLES = 8;

/**
 * Part comparisons one comparison may make, and how many of them may go to the symbolic
 * engine (a millisecond or more each). A list of 40 items only the engine reads made 6,400
 * part comparisons and as many engine calls (0.75 s); a list of 64 expressions against its
 * reverse 2,080 evaluator comparisons (35 ms). Past either, "not equal". The most any pair
 * of the corpora uses is 46 part comparisons and one engine call.
 */
const MAX_COMPARISONS = 256;
const MAX_ENGINE_CALLS = 4;

interface Ctx {
  deadline: number;
  comparisons: number;
  engineCalls: number;
}

export interface CompareOptions {
  /** Bound on this comparison, from now; DEFAULT_TIMEOUT_MS when neither this nor `deadline` is given. */
  timeoutMs?: number;
  /** A bound already running (a grading whose extraction spent part of it); wins over `timeoutMs`. */
  deadline?: Deadline;
}

/**
 * Is `pred` the same answer as `gt`? Stages run cheapest first, and the time bound is
 * checked between stages: normalise → exact text → plain numbers →
 * structures → equations → the arithmetic evaluator → the symbolic engine. Never throws;
 * past the bound the answer is "not equal".
 */
export function isEquivalent(pred: string, gt: string, opts: CompareOptions = {}): boolean {
  try {
    if (typeof pred !== 'string' || typeof gt !== 'string') return false;
    const ctx: Ctx = { deadline: opts.deadline ?? deadlineIn(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS), comparisons: MAX_COMPARISONS, engineCalls: MAX_ENGINE_CALLS };
    const a = normaliseAnswer(pred);
    const b = normaliseAnswer(gt);
    if (equalNormalised(a, b, ctx, 0)) return true;
    // `y = 1.5x+3` against the equation `3x-2y+6=0`: the stripped `y =` is part of the line.
    if (a.includes('=') === b.includes('=')) return false;
    const [fa, fb] = a.includes('=') ? [a, normaliseAnswer(gt, { keepAssignment: true })] : [normaliseAnswer(pred, { keepAssignment: true }), b];
    if ((fa === a && fb === b) || !fa.includes('=') || !fb.includes('=')) return false;
    return equalNormalised(fa, fb, ctx, 0);
  } catch {
    return false;
  }
}

function equalNormalised(a: string, b: string, ctx: Ctx, depth: number): boolean {
  if (a === b) return a !== '';
  if (--ctx.comparisons < 0) return false;
  if (a === '' || b === '' || a.length > MAX_ANSWER_CHARS || b.length > MAX_ANSWER_CHARS) return false;
  if (/^[A-E]$/.test(b) || /^[A-E]$/.test(a)) return false;
  // Words compare without case: `Evelyn`, `\text{odd}` vs `Odd`.
  if (/^[a-zA-Z]{2,}$/.test(a) && /^[a-zA-Z]{2,}$/.test(b)) return a.toLowerCase() === b.toLowerCase();

  const na = parseNumber(a);
  const nb = parseNumber(b);
  if (na && nb) return numbersEqual(na, nb);

  if (depth < MAX_NESTED_STRUCTURES) {
    const sa = parseStructure(a);
    const sb = parseStructure(b);
    if (sa || sb) return structuresEqual(sa, sb, ctx, depth + 1);
  }

  const ea = splitTopLevel(a, '=');
  const eb = splitTopLevel(b, '=');
  if (ea && eb && ea.length === 2 && eb.length === 2) {
    const [l1, r1] = ea as [string, string];
    const [l2, r2] = eb as [string, string];
    if (
      (equalNormalised(l1, l2, ctx, depth + 1) && equalNormalised(r1, r2, ctx, depth + 1)) ||
      (equalNormalised(l1, r2, ctx, depth + 1) && equalNormalised(r1, l2, ctx, depth + 1))
    ) {
      return true;
    }
    return relationsProportional({ kind: 'equation', lhs: l1, rhs: r1 }, { kind: 'equation', lhs: l2, rhs: r2 }) === true;
  }
  if ((ea && ea.length > 1) !== (eb && eb.length > 1)) return false;
  if (deadlinePassed(ctx.deadline)) return false;

  const ra = parseRelation(a);
  const rb = parseRelation(b);
  if (ra?.kind === 'inequality' && rb?.kind === 'inequality') {
    const same = relationsProportional(ra, rb);
    if (same !== undefined) return same;
  }

  const evaluated = evaluateEqual(stripPercent(a), stripPercent(b), nb?.integer === true);
  if (evaluated !== undefined) return evaluated;
  if (deadlinePassed(ctx.deadline)) return false;
  if (--ctx.engineCalls < 0) return false;
  return symbolicEqual(a, b, ctx.deadline);
}

function stripPercent(s: string): string {
  return s.endsWith('%') ? `(${s.slice(0, -1)})/100` : s;
}

/**
 * Compares through the arithmetic evaluator: constants by value, expressions with variables
 * at several sample points. Undefined when it cannot tell (unknown notation, domain issues,
 * a possible imaginary unit), leaving the decision to the engine.
 */
function evaluateEqual(a: string, b: string, gtInteger: boolean): boolean | undefined {
  const ca = compile(a);
  const cb = compile(b);
  if (!ca || !cb) return undefined;
  const vars = new Set([...ca.variables, ...cb.variables]);
  if (vars.size === 0) {
    const va = ca.evaluate(new Map());
    const vb = cb.evaluate(new Map());
    if (Number.isNaN(va) || Number.isNaN(vb)) return undefined;
    if (!Number.isFinite(va) || !Number.isFinite(vb)) {
      // A written `\infty` decides at once; an overflow (999!, 10^{400}) is left to the engine.
      const written = (s: string, v: number) => Number.isFinite(v) || s.includes('\\infty');
      return written(a, va) && written(b, vb) ? va === vb : undefined;
    }
    return closeEnough(va, vb, gtInteger ? 1e-9 : undefined);
  }
  if (vars.size > MAX_VARIABLES) return undefined;
  const names = [...vars];
  let agreeing = 0;
  // Points outside a side's domain (`M^{1/3}` at a negative M) are skipped, not counted.
  for (let k = 0; k < SAMPLE_SETS && agreeing < AGREEING_POINTS; k++) {
    const bindings = sampleBindings(names, k);
    const va = ca.evaluate(bindings);
    const vb = cb.evaluate(bindings);
    if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
    if (!closeEnough(va, vb, 1e-7) && Math.abs(va - vb) > 1e-10) return vars.has('i') && !affineInI(a, b) ? undefined : false;
    agreeing++;
  }
  return agreeing === AGREEING_POINTS ? true : undefined;
}

/**
 * With `i` written at most once on each side, and no powers, roots, quotients or functions, both sides are
 * a + b·i with real a, b; then differing as functions of a formal `i` means differing as
 * complex numbers, and the engine is not needed.
 */
function affineInI(a: string, b: string): boolean {
  const once = (s: string) =>
    (s.match(/(?<![a-zA-Z\\])i(?![a-zA-Z])/g) ?? []).length <= 1 && !/[\^/]|\\(?!cdot|times)[a-zA-Z]+/.test(s);
  return once(a) && once(b);
}

function structuresEqual(sa: Structure | null, sb: Structure | null, ctx: Ctx, depth: number): boolean {
  if (!sa || !sb) return false;
  const eq = (x: string, y: string) => equalNormalised(x, y, ctx, depth);
  if (sa.kind === 'matrix' || sb.kind === 'matrix') {
    if (sa.kind !== 'matrix' || sb.kind !== 'matrix' || sa.rows.length !== sb.rows.length) return false;
    return sa.rows.every((row, i) => {
      const other = sb.rows[i]!;
      return row.length === other.length && row.every((x, j) => eq(x, other[j]!));
    });
  }
  if (sa.kind === 'interval' && sb.kind === 'interval') {
    if (sa.open !== sb.open || sa.close !== sb.close) return false;
    return ordered(sa.items, sb.items, eq);
  }
  // A bare list against a parenthesised tuple: `3, 4` for `(3, 4)`.
  const bareTuple = (x: Structure, y: Structure) => x.kind === 'list' && y.kind === 'interval' && y.open === '(' && y.close === ')';
  if (bareTuple(sa, sb)) return ordered(sa.items, (sb as { items: string[] }).items, eq);
  if (bareTuple(sb, sa)) return ordered((sa as { items: string[] }).items, sb.items, eq);
  const unorderedKinds = new Set(['set', 'list']);
  if ((unorderedKinds.has(sa.kind) && unorderedKinds.has(sb.kind)) || (sa.kind === 'union' && sb.kind === 'union')) {
    return unordered((sa as { items: string[] }).items, (sb as { items: string[] }).items, eq);
  }
  return false;
}

function ordered(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length || a.length > MAX_PARTS) return false;
  return a.every((x, i) => eq(x, b[i]!));
}

/** Same multiset of parts, whatever the order. */
function unordered(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length || a.length > MAX_PARTS) return false;
  const used = new Array<boolean>(b.length).fill(false);
  for (const x of a) {
    const j = b.findIndex((y, k) => !used[k] && eq(x, y));
    if (j < 0) return false;
    used[j] = true;
  }
  return true;
}
