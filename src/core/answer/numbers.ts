/** A plain number as written in an answer: integer, decimal, fraction, mixed number, scientific, percent. */
export interface ParsedNumber {
  value: number;
  /** Integer-valued and written without a fractional part that matters: compared exactly. */
  integer: boolean;
  /** Exact digits of an integer (sign included), so integers beyond 2^53 still compare exactly. */
  digits?: string;
  percent: boolean;
}

const INT = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const SCI_E = /^([+-]?(?:\d+\.?\d*|\.\d+))[eE]([+-]?\d{1,3})$/;
const SCI_TIMES = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:\\times|\\cdot|\*)10\^(?:\{([+-]?\d{1,3})\}|([+-]?\d))$/;
const POWER_TEN = /^10\^(?:\{([+-]?\d{1,3})\}|([+-]?\d))$/;
const FRAC = /^([+-]?)\\frac\{([+-]?(?:\d+\.?\d*|\.\d+))\}\{([+-]?(?:\d+\.?\d*|\.\d+))\}$/;
const SLASH = /^([+-]?(?:\d+\.?\d*|\.\d+))\/([+-]?(?:\d+\.?\d*|\.\d+))$/;
const MIXED = /^([+-]?)(\d+)\\frac\{(\d+)\}\{(\d+)\}$/;
/** `0.\overline{3}`, `1.1\overline{6}`: a repeating decimal, the digits under the bar repeated. */
const REPEATING = /^([+-]?)(\d*)\.(\d*)\\overline\{(\d{1,12})\}$/;

function canonicalInt(s: string): string {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  return neg && body !== '0' ? '-' + body : body;
}

/** The value of a decimal literal, and its exact integer digits when it is integer-valued. */
function literal(s: string): ParsedNumber {
  if (INT.test(s)) return { value: Number(s), integer: true, digits: canonicalInt(s), percent: false };
  const value = Number(s);
  const m = /^([+-]?)(\d*)\.(\d*)$/.exec(s);
  if (m && /^0*$/.test(m[3]!)) return { value, integer: true, digits: canonicalInt((m[1] ?? '') + (m[2] || '0')), percent: false };
  return { value, integer: false, percent: false };
}

function fromValue(value: number): ParsedNumber {
  // Integer-valued results of exact operations (10^3, 12/4, 2.5e2) are integers too.
  const integer = Number.isInteger(value) && Math.abs(value) < 2 ** 53;
  return integer ? { value, integer, digits: String(value), percent: false } : { value, integer: false, percent: false };
}

/** Parses a normalised answer that is a plain number; null when it is anything else. */
export function parseNumber(input: string): ParsedNumber | null {
  let s = input;
  if (s.length === 0 || s.length > 80) return null;
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
  }
  const result = parsePlain(s);
  if (!result || !Number.isFinite(result.value)) return null;
  return { ...result, percent };
}

function parsePlain(s: string): ParsedNumber | null {
  if (DECIMAL.test(s)) return literal(s);
  let m = SCI_E.exec(s) ?? SCI_TIMES.exec(s);
  if (m) return fromValue(Number(`${m[1]}e${m[2] ?? m[3]}`));
  m = POWER_TEN.exec(s);
  if (m) return fromValue(Number(`1e${m[1] ?? m[2]}`));
  m = MIXED.exec(s);
  if (m) {
    const whole = Number(m[2]);
    const frac = Number(m[3]) / Number(m[4]);
    const v = whole + frac;
    return fromValue(m[1] === '-' ? -v : v);
  }
  m = FRAC.exec(s);
  if (m) {
    const v = Number(m[2]) / Number(m[3]);
    return fromValue(m[1] === '-' ? -v : v);
  }
  m = SLASH.exec(s);
  if (m) return fromValue(Number(m[1]) / Number(m[2]));
  m = REPEATING.exec(s);
  if (m) {
    // w.a(r) = (war - wa) / (10^|a| · (10^|r| - 1)): 0.1(6) = (16 - 1) / 90 = 1/6.
    const [, sign, whole, fixed, repeated] = m as unknown as [string, string, string, string, string];
    const v = (Number(whole + fixed + repeated) - Number(whole + fixed)) / (10 ** fixed.length * (10 ** repeated.length - 1));
    return fromValue(sign === '-' ? -v : v);
  }
  return null;
}

/** Relative tolerance for non-integers, as the common graders use. */
export const REL_TOL = 1e-4;

export function closeEnough(a: number, b: number, rel = REL_TOL): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Two plain numbers are equal: integers exactly (131251 is not 131250), others within the
 * relative tolerance; a percent on either side also matches its fraction (50% = 0.5 = 1/2).
 */
export function numbersEqual(pred: ParsedNumber, gt: ParsedNumber): boolean {
  if (same(pred, gt)) return true;
  if (pred.percent !== gt.percent) {
    const scaledPred = pred.percent ? fromValue(pred.value / 100) : fromValue(pred.value * 100);
    if (same(scaledPred, gt) || closeEnough(scaledPred.value, gt.value, 1e-9)) return true;
  }
  return false;
}

function same(a: ParsedNumber, b: ParsedNumber): boolean {
  if (a.integer && b.integer) {
    if (a.digits !== undefined && b.digits !== undefined) return a.digits === b.digits;
    return a.value === b.value;
  }
  // One side an integer: only an exact value matches it (12.0001 is not 12).
  if (a.integer || b.integer) return closeEnough(a.value, b.value, 1e-12);
  return closeEnough(a.value, b.value);
}
