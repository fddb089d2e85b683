/**
 * Equations and inequalities as relations between expressions. Two relations are the same
 * when one's `lhs − rhs` is a constant multiple of the other's: any non-zero factor for an
 * equation (`3x-2y+6=0` is `-3x+2y-6=0` is `y=1.5x+3`), a positive one for an inequality
 * written greater-side first (`-x>-1` is `x<1`). The multiple is checked with the arithmetic
 * evaluator at sample points, so only relations with variables are decided here.
 */
import { compile, sampleBindings } from './evaluate';
import { closeEnough } from './numbers';
import { splitTopLevel } from './structures';

export type Relation =
  | { kind: 'equation'; lhs: string; rhs: string }
  /** `greater > lesser`, or `greater ≥ lesser` when not strict. */
  | { kind: 'inequality'; greater: string; lesser: string; strict: boolean };

const ORDER_SIGNS = ['\\leq', '\\geq', '<', '>'] as const;
type OrderSign = (typeof ORDER_SIGNS)[number];

/** The single top-level order sign of `s` and its two sides, or null. */
function splitOrder(s: string): { sign: OrderSign; left: string; right: string } | null {
  let found: { sign: OrderSign; left: string; right: string } | null = null;
  for (const sign of ORDER_SIGNS) {
    if (!s.includes(sign)) continue;
    const parts = splitTopLevel(s, sign);
    if (!parts || parts.length === 1) continue;
    if (parts.length > 2 || found) return null;
    found = { sign, left: parts[0]!, right: parts[1]! };
  }
  return found;
}

/** The relation a normalised answer states, or null when it states none (or a chain). */
export function parseRelation(s: string): Relation | null {
  const order = splitOrder(s);
  if (order) {
    if (order.left === '' || order.right === '' || s.includes('=')) return null;
    const greaterFirst = order.sign === '>' || order.sign === '\\geq';
    return {
      kind: 'inequality',
      greater: greaterFirst ? order.left : order.right,
      lesser: greaterFirst ? order.right : order.left,
      strict: order.sign === '<' || order.sign === '>',
    };
  }
  const sides = s.includes('=') ? splitTopLevel(s, '=') : null;
  if (sides && sides.length === 2 && sides[0] !== '' && sides[1] !== '') return { kind: 'equation', lhs: sides[0]!, rhs: sides[1]! };
  return null;
}

/** How many sample points must agree on the factor. */
const POINTS = 3;

/**
 * The constant c with f = c·g at every sample point; 'varies' when the ratio changes from
 * point to point; null when it cannot tell (no variables on a side, a zero or a value
 * outside the domain at a point, notation the evaluator does not read).
 */
function constantFactor(f: string, g: string): number | 'varies' | null {
  const cf = compile(f);
  const cg = compile(g);
  if (!cf || !cg || cf.variables.size === 0 || cg.variables.size === 0) return null;
  const names = [...new Set([...cf.variables, ...cg.variables])];
  if (names.length > 6) return null;
  let factor: number | null = null;
  for (let k = 0; k < POINTS; k++) {
    const b = sampleBindings(names, k);
    const vf = cf.evaluate(b);
    const vg = cg.evaluate(b);
    if (!Number.isFinite(vf) || !Number.isFinite(vg) || Math.abs(vf) < 1e-12 || Math.abs(vg) < 1e-12) return null;
    const ratio = vf / vg;
    if (factor === null) factor = ratio;
    else if (!closeEnough(ratio, factor, 1e-7)) return 'varies';
  }
  return factor;
}

/**
 * The same relation up to a constant factor (positive for inequalities); undefined when it
 * cannot tell. Equations whose ratio varies are left undefined (`x^2=4` against `x=2` is for
 * the caller to refuse); inequalities whose ratio varies are different.
 */
export function relationsProportional(a: Relation, b: Relation): boolean | undefined {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'equation' && b.kind === 'equation') {
    const c = constantFactor(`${a.lhs}-(${a.rhs})`, `${b.lhs}-(${b.rhs})`);
    return typeof c === 'number' ? true : undefined;
  }
  if (a.kind === 'inequality' && b.kind === 'inequality') {
    if (a.strict !== b.strict) return false;
    const c = constantFactor(`${a.greater}-(${a.lesser})`, `${b.greater}-(${b.lesser})`);
    if (c === 'varies') return false;
    return c === null ? undefined : c > 0;
  }
  return undefined;
}
