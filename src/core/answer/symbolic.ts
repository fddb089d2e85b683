import { closeEnough } from './numbers';

/**
 * The heavy symbolic path: @cortex-js/compute-engine parses LaTeX and compares expressions.
 * It costs about a quarter of a second of CPU time to load (more on a loaded machine), so it
 * is loaded on first use only (the extension's activation never pays for it), and only for
 * pairs the cheap paths cannot decide.
 * The engine call itself cannot be interrupted, so inputs it could spend long on are refused
 * up front: long text, deep nesting, power towers, huge literals.
 */

interface BoxedLike {
  isValid: boolean;
  isEqual(other: BoxedLike): boolean | undefined;
  N(): BoxedLike;
  re: number;
  im: number;
  unknowns: readonly string[];
}
interface EngineLike {
  parse(latex: string): BoxedLike;
}

/** Longest normalised answer handed to the engine. */
export const MAX_SYMBOLIC_CHARS = 160;
const MAX_NESTING = 10;
/** Loading the engine can take a second on a busy machine; below this remaining budget it is not attempted. */
const LOAD_BUDGET_MS = 2500;

const ENGINE_PACKAGE = '@cortex-js/compute-engine';
let engine: EngineLike | null | undefined;

function loadEngine(): EngineLike | null {
  if (engine !== undefined) return engine;
  try {
    // In the CommonJS bundles the engine ships beside them as compute-engine.cjs, kept out of
    // the bundle so loading the extension or the CLI does not parse 3 MB it may never use.
    // From sources under ESM (tests, tsx) the package itself is resolved.
    const req: (id: string) => unknown =
      typeof require === 'function' ? require : process.getBuiltinModule('node:module').createRequire(import.meta.url);
    let mod: { ComputeEngine: new () => EngineLike } | undefined;
    if (typeof __dirname === 'string') {
      try {
        mod = req(`${__dirname}/compute-engine.cjs`) as typeof mod;
      } catch {
        mod = undefined;
      }
    }
    mod ??= req(ENGINE_PACKAGE) as { ComputeEngine: new () => EngineLike };
    engine = new mod.ComputeEngine();
  } catch {
    engine = null;
  }
  return engine;
}

export function engineLoaded(): boolean {
  return engine !== undefined && engine !== null;
}

/** Inputs the engine could spend unbounded time or memory on. */
export function tooHardForEngine(s: string): boolean {
  if (s.length > MAX_SYMBOLIC_CHARS) return true;
  if (/\d{25,}/.test(s)) return true;
  // A power whose exponent holds another power: 10^{10^{10}}, 2^{3^{4^5}}.
  if (/\^\{[^{}]*\^/.test(s) || /\^\{?\d{4,}/.test(s)) return true;
  let depth = 0;
  for (const c of s) {
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    if (depth > MAX_NESTING) return true;
  }
  return /\\(?:int|sum|prod|lim|begin|operatorname)/.test(s);
}

function numeric(x: BoxedLike): { re: number; im: number } | null {
  try {
    const n = x.N();
    const re = n.re;
    const im = n.im;
    // Overflowed values (999! in floating point) say nothing about equality.
    if (typeof re !== 'number' || !Number.isFinite(re)) return null;
    return { re, im: typeof im === 'number' && !Number.isNaN(im) ? im : 0 };
  } catch {
    return null;
  }
}

/**
 * Compares two normalised answers with the engine. `deadline` is a performance.now() value;
 * past it, or for refused inputs, the answer is "not equal".
 */
export function symbolicEqual(a: string, b: string, deadline: number): boolean {
  if (tooHardForEngine(a) || tooHardForEngine(b)) return false;
  if (!engineLoaded() && deadline - performance.now() < LOAD_BUDGET_MS) return false;
  const ce = loadEngine();
  if (!ce || performance.now() > deadline) return false;
  // The engine reports some inputs it cannot canonicalise on the console; a verdict is all
  // the grader needs, and the CLI's stderr must stay clean. Synchronous, so restored at once.
  const { error, warn } = console;
  console.error = console.warn = () => {};
  try {
    return compare(ce, a, b, deadline);
  } finally {
    console.error = error;
    console.warn = warn;
  }
}

function compare(ce: EngineLike, a: string, b: string, deadline: number): boolean {
  try {
    const x = ce.parse(a);
    const y = ce.parse(b);
    if (!x.isValid || !y.isValid || performance.now() > deadline) return false;
    if (x.unknowns.length === 0 && y.unknowns.length === 0) {
      const nx = numeric(x);
      const ny = numeric(y);
      if (nx && ny) return closeEnough(nx.re, ny.re) && (closeEnough(nx.im, ny.im) || Math.abs(nx.im - ny.im) < 1e-9);
    }
    if (performance.now() > deadline) return false;
    return x.isEqual(y) === true;
  } catch {
    return false;
  }
}
