/**
 * A small evaluator for the arithmetic LaTeX that answers are written in (`3\sqrt{2}`,
 * `\frac{\pi}{4}`, `2x^2+1`, `e^{-1}`), with free variables bound to sample values. It is the
 * fast symbolic path: most answers need nothing heavier. Anything it does not know makes it
 * give up (return null), never guess.
 */

export type Bindings = ReadonlyMap<string, number>;

/** Parsed expression: evaluate it under any bindings, as many times as needed. */
export interface Compiled {
  variables: ReadonlySet<string>;
  evaluate(bindings: Bindings): number;
}

type Node = (b: Bindings) => number;

/** Thrown where the evaluator cannot read on; not an Error, so no stack is captured (a hostile list throws thousands). */
class GiveUp {}

const FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  cot: (x) => 1 / Math.tan(x), sec: (x) => 1 / Math.cos(x), csc: (x) => 1 / Math.sin(x),
  arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  ln: Math.log, log: Math.log10, exp: Math.exp,
  arcsinh: Math.asinh, arccosh: Math.acosh, arctanh: Math.atanh,
  arccot: (x) => Math.atan(1 / x), arcsec: (x) => Math.acos(1 / x), arccsc: (x) => Math.asin(1 / x),
  coth: (x) => 1 / Math.tanh(x), sech: (x) => 1 / Math.cosh(x), csch: (x) => 1 / Math.sinh(x),
  sgn: Math.sign, sign: Math.sign, abs: Math.abs, floor: Math.floor, ceil: Math.ceil,
};
/** Functions of an argument list in parentheses: `\gcd(18, 3)`, `\max(a, b, c)`. */
const LIST_FUNCTIONS: Record<string, (xs: number[]) => number> = {
  gcd: (xs) => xs.reduce(integerGcd),
  lcm: (xs) => xs.reduce((a, b) => (a === 0 || b === 0 ? 0 : Math.abs(a * b) / integerGcd(a, b))),
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
};
/** Every function name the evaluator reads, for spellings like `\operatorname{gcd}`. */
export const FUNCTION_NAMES: ReadonlySet<string> = new Set([...Object.keys(FUNCTIONS), ...Object.keys(LIST_FUNCTIONS)]);
const MAX_LIST_ARGUMENTS = 16;
const CONSTANTS: Record<string, number> = { pi: Math.PI, infty: Infinity };
const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'theta', 'lambda', 'mu', 'phi', 'varphi', 'omega', 'sigma', 'tau', 'rho', 'epsilon', 'psi', 'eta', 'xi', 'zeta', 'kappa', 'nu', 'chi', 'Delta', 'Gamma', 'Omega', 'Phi', 'Lambda', 'Sigma', 'Theta', 'Psi', 'hbar', 'ell']);
const MAX_DEPTH = 60;
const MAX_EXPONENT = 1e4;

/** Tokenises into numbers, single letters, commands and single-character symbols. */
function tokenize(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === ' ') {
      i++;
    } else if (c === '\\') {
      const m = /^\\(?:[a-zA-Z]+|.)/.exec(s.slice(i, i + 20));
      if (!m) throw new GiveUp();
      out.push(m[0]);
      i += m[0].length;
    } else if ((c >= '0' && c <= '9') || c === '.') {
      const m = /^(?:\d+\.?\d*|\.\d+)/.exec(s.slice(i));
      if (!m) throw new GiveUp();
      out.push(m[0]);
      i += m[0].length;
    } else {
      out.push(c);
      i++;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;
  readonly variables = new Set<string>();
  constructor(private readonly t: string[]) {}

  parse(): Node {
    const n = this.expr();
    if (this.i !== this.t.length) throw new GiveUp();
    return n;
  }

  private peek(): string | undefined {
    return this.t[this.i];
  }
  private take(expected?: string): string {
    const tok = this.t[this.i];
    if (tok === undefined || (expected !== undefined && tok !== expected)) throw new GiveUp();
    this.i++;
    return tok;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new GiveUp();
  }

  private expr(): Node {
    this.enter();
    let left = this.term();
    for (;;) {
      const op = this.peek();
      if (op === '+' || op === '-') {
        this.i++;
        const right = this.term();
        const l = left;
        left = op === '+' ? (b) => l(b) + right(b) : (b) => l(b) - right(b);
      } else break;
    }
    this.depth--;
    return left;
  }

  private term(): Node {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const l = left;
      if (op === '*' || op === '\\cdot' || op === '\\times') {
        this.i++;
        const r = this.unary();
        left = (b) => l(b) * r(b);
      } else if (op === '/' || op === '\\div') {
        this.i++;
        const r = this.unary();
        left = (b) => l(b) / r(b);
      } else if (op !== undefined && this.startsFactor(op)) {
        const r = this.power();
        left = (b) => l(b) * r(b);
      } else break;
    }
    return left;
  }

  private startsFactor(tok: string): boolean {
    if (tok === '(' || tok === '{' || tok === '[' || /^[\d.a-zA-Z]/.test(tok)) return true;
    if (!tok.startsWith('\\')) return false;
    const name = tok.slice(1);
    return name === 'frac' || name === 'sqrt' || name === 'lfloor' || name === 'lceil' || name === 'binom' || name in FUNCTIONS || name in LIST_FUNCTIONS || name in CONSTANTS || GREEK.has(name);
  }

  private unary(): Node {
    const op = this.peek();
    if (op === '-' || op === '+') {
      this.i++;
      this.enter();
      const n = this.unary();
      this.depth--;
      return op === '-' ? (b) => -n(b) : n;
    }
    return this.power();
  }

  private power(): Node {
    const start = this.i;
    const hadI = this.variables.has('i');
    const base = this.postfix();
    if (this.peek() !== '^') return base;
    const baseToken = this.i === start + 1 ? this.t[start] : undefined;
    this.i++;
    this.enter();
    const expStart = this.i;
    const exp = this.exponent();
    this.depth--;
    const expTokens = this.t.slice(expStart, this.i);
    if (baseToken === 'i' && expTokens.every((t) => /^(?:[{}-]|\d+)$/.test(t))) {
      const k = exp(new Map());
      if (Number.isInteger(k) && Math.abs(k) <= MAX_EXPONENT) return this.powerOfI(k, hadI);
    }
    // An `i` still in the variables after the exponent (not only `i^2` there) makes e^{…} complex.
    if (baseToken === 'e' && expTokens.includes('i') && this.variables.has('i')) return euler(exp);
    return (b) => {
      const e = exp(b);
      if (Math.abs(e) > MAX_EXPONENT) return NaN;
      return Math.pow(base(b), e);
    };
  }

  /**
   * `i^k` for an integer k is one of 1, i, -1, -i: `i^2` is the constant -1, so it needs no
   * sampling, and `i` stays a variable only where it is still written.
   */
  private powerOfI(k: number, hadI: boolean): Node {
    const r = ((k % 4) + 4) % 4;
    if (r % 2 === 0 && !hadI) this.variables.delete('i');
    const sign = r < 2 ? 1 : -1;
    return r % 2 === 0 ? () => sign : (b) => sign * (b.get('i') ?? NaN);
  }

  /** `x^2` takes one character or token; `x^{…}` a group; `x^-1` a signed token. */
  private exponent(): Node {
    const tok = this.peek();
    if (tok === '{') return this.group();
    if (tok === '-') {
      this.i++;
      const n = this.exponent();
      return (b) => -n(b);
    }
    if (tok !== undefined && /^\d/.test(tok)) {
      this.i++;
      // `x^23` in LaTeX is x^2 followed by 3; keep only the first digit as the exponent.
      const v = Number(tok[0]);
      if (tok.length > 1) this.t.splice(this.i, 0, tok.slice(1));
      return () => v;
    }
    return this.primary();
  }

  private postfix(): Node {
    let n = this.primary();
    while (this.peek() === '!') {
      this.i++;
      const inner = n;
      n = (b) => factorial(inner(b));
    }
    return n;
  }

  private group(): Node {
    this.take('{');
    const n = this.expr();
    this.take('}');
    return n;
  }

  private primary(): Node {
    const tok = this.take();
    if (/^[\d.]/.test(tok)) {
      const v = Number(tok);
      if (!Number.isFinite(v)) throw new GiveUp();
      // A mixed number: `2\frac{1}{3}` means 2 + 1/3.
      if (this.peek() === '\\frac' && /^\d+$/.test(tok)) {
        const save = this.i;
        this.i++;
        const num = this.t[this.i + 1];
        const den = this.t[this.i + 4];
        if (this.t[this.i] === '{' && num && /^\d+$/.test(num) && this.t[this.i + 2] === '}' && this.t[this.i + 3] === '{' && den && /^\d+$/.test(den) && this.t[this.i + 5] === '}') {
          this.i += 6;
          const frac = Number(num) / Number(den);
          return () => v + frac;
        }
        this.i = save;
      }
      return () => v;
    }
    if (tok === '(' || tok === '[') {
      const n = this.expr();
      this.take(tok === '(' ? ')' : ']');
      return n;
    }
    if (tok === '{') {
      this.i--;
      return this.group();
    }
    if (tok === '\\lfloor' || tok === '\\lceil') {
      const n = this.expr();
      this.take(tok === '\\lfloor' ? '\\rfloor' : '\\rceil');
      return tok === '\\lfloor' ? (b) => Math.floor(n(b)) : (b) => Math.ceil(n(b));
    }
    if (tok === '|') {
      const n = this.expr();
      this.take('|');
      return (b) => Math.abs(n(b));
    }
    if (/^[a-zA-Z]$/.test(tok)) {
      if (tok === 'e') return () => Math.E;
      return this.variable(tok);
    }
    if (tok.startsWith('\\')) return this.command(tok.slice(1));
    throw new GiveUp();
  }

  /** A variable, with its subscript if any: `x`, `a_1`, `C_{2}`, `\omega_n`. */
  private variable(base: string): Node {
    let name = base;
    if (this.peek() === '_') {
      this.i++;
      if (this.peek() === '{') {
        this.i++;
        let sub = '';
        while (this.peek() !== '}' && this.peek() !== undefined) sub += this.take();
        this.take('}');
        name += '_' + sub;
      } else name += '_' + this.take();
    }
    this.variables.add(name);
    return (b) => b.get(name) ?? NaN;
  }

  private command(name: string): Node {
    if (name === 'frac') {
      const num = this.group();
      const den = this.group();
      return (b) => num(b) / den(b);
    }
    if (name === 'binom') {
      const n = this.group();
      const k = this.group();
      return (b) => binomial(n(b), k(b));
    }
    if (name === 'sqrt') {
      let index: Node | null = null;
      if (this.peek() === '[') {
        this.i++;
        index = this.expr();
        this.take(']');
      }
      const arg = this.peek() === '{' ? this.group() : this.primary();
      if (!index) return (b) => Math.sqrt(arg(b));
      const idx = index;
      return (b) => {
        const x = arg(b);
        const k = idx(b);
        // Odd roots of negatives are real: \sqrt[3]{-8} = -2.
        return x < 0 && Number.isInteger(k) && k % 2 === 1 ? -Math.pow(-x, 1 / k) : Math.pow(x, 1 / k);
      };
    }
    if (name in CONSTANTS) {
      const v = CONSTANTS[name]!;
      return () => v;
    }
    if (GREEK.has(name)) return this.variable(name);
    const listFn = LIST_FUNCTIONS[name];
    if (listFn) {
      this.take('(');
      const args: Node[] = [this.expr()];
      while (this.peek() === ',') {
        this.i++;
        args.push(this.expr());
        if (args.length > MAX_LIST_ARGUMENTS) throw new GiveUp();
      }
      this.take(')');
      return (b) => listFn(args.map((a) => a(b)));
    }
    if (name === 'log' && this.peek() === '_') {
      // `\log_{2} n`, `\log_2 8`: a logarithm to the written base.
      this.i++;
      // `\log_28` is log base 2 of 8: an unbraced subscript is one character, as in LaTeX.
      const tok = this.peek();
      if (tok !== undefined && /^\d\d/.test(tok)) this.t.splice(this.i, 1, tok[0]!, tok.slice(1));
      const base = this.peek() === '{' ? this.group() : this.primary();
      const arg = this.peek() === '(' || this.peek() === '{' ? this.primary() : this.power();
      return (b) => Math.log(arg(b)) / Math.log(base(b));
    }
    const fn = FUNCTIONS[name];
    if (fn) {
      // `\sin^2 x` is (sin x)^2.
      let pow: Node | null = null;
      if (this.peek() === '^') {
        this.i++;
        pow = this.exponent();
      }
      const arg = this.peek() === '(' || this.peek() === '{' ? this.primary() : this.power();
      if (!pow) return (b) => fn(arg(b));
      const p = pow;
      return (b) => Math.pow(fn(arg(b)), p(b));
    }
    throw new GiveUp();
  }
}

/** A second point at which the exponent of `e^{…}` must be affine in `i`. */
const AFFINE_CHECK_POINT = 0.5772156649;

/**
 * `e^{a + b i}` = e^a (cos b + i sin b) (Euler): with a and b read off the exponent at i = 0
 * and i = 1, the power is affine in `i`, as the rest of the evaluator treats `i`. An exponent
 * that is not affine in `i` gives NaN at that point, so nothing is decided from it.
 */
function euler(exponent: Node): Node {
  return (b) => {
    const at = (i: number) => exponent(new Map(b).set('i', i));
    const re = at(0);
    const im = at(1) - re;
    const check = at(AFFINE_CHECK_POINT);
    if (!(Math.abs(check - (re + im * AFFINE_CHECK_POINT)) <= 1e-12 * Math.max(1, Math.abs(check)))) return NaN;
    const scale = Math.exp(re);
    return scale * Math.cos(im) + (b.get('i') ?? NaN) * scale * Math.sin(im);
  };
}

/** gcd of integers; NaN for anything else, so a non-integer argument never compares equal. */
function integerGcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return NaN;
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function factorial(x: number): number {
  if (!Number.isInteger(x) || x < 0 || x > 170) return NaN;
  let r = 1;
  for (let k = 2; k <= x; k++) r *= k;
  return r;
}

function binomial(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || n < 0 || k > n || n > 1000) return NaN;
  let r = 1;
  for (let j = 1; j <= Math.min(k, n - k); j++) r = (r * (n - j + 1)) / j;
  return Math.round(r);
}

/** Sample points for free variables: irrational-looking, away from the usual poles and roots. */
const SAMPLES = [0.5772156649, 1.4142135623, 2.7182818284, -0.8414709848];

/**
 * The k-th set of sample values for `names`; different k give unrelated points. From k = 4
 * on they are all positive, from k = 8 on also below 1, for expressions defined only there
 * (`[P^{2/5} - g z]^{5/2}`).
 */
export function sampleBindings(names: readonly string[], k: number): Bindings {
  const n = SAMPLES.length;
  return new Map(
    names.map((name, j) => {
      const s = SAMPLES[(j + k) % n]!;
      const v = k < n ? s * (1 + j + k) : k < 2 * n ? Math.abs(s) * (1 + j + k) : Math.abs(s) / (2 + j + k);
      return [name, v];
    }),
  );
}

/** Compiles a normalised answer, or returns null when it is not plain arithmetic LaTeX. */
export function compile(s: string): Compiled | null {
  if (s.length === 0 || s.length > 600) return null;
  try {
    const p = new Parser(tokenize(s));
    const node = p.parse();
    return {
      variables: p.variables,
      evaluate: (b) => {
        try {
          return node(b);
        } catch {
          return NaN;
        }
      },
    };
  } catch {
    return null;
  }
}
