import type { Label } from '../schema/index';
import type { ProblemDecisions } from './label-resolution';

/**
 * Inter-annotator agreement on the labels annotators gave (their standing decisions, not
 * resolutions): Cohen's kappa for each pair over the problems both labelled, and
 * Krippendorff's alpha (nominal) over every annotator and every problem labelled by two
 * or more. Either is null when it is undefined (too few items, or one category only).
 */

export interface PairAgreement {
  a: string;
  b: string;
  /** Problems both labelled. */
  items: number;
  /** Share of those with the same label. */
  observed: number;
  kappa: number | null;
}

export interface Agreement {
  annotators: string[];
  pairs: PairAgreement[];
  alpha: number | null;
  /** Problems labelled by two or more annotators (the units alpha is computed over). */
  units: number;
  /** Problems whose annotators disagree and that nobody settled, in dataset order. */
  conflicts: string[];
}

/** Cohen's kappa of two label sequences of equal length: (p_o − p_e) / (1 − p_e). */
export function cohensKappa(x: readonly Label[], y: readonly Label[]): number | null {
  const n = x.length;
  if (n === 0 || n !== y.length) return null;
  const cx = new Map<Label, number>();
  const cy = new Map<Label, number>();
  let same = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] === y[i]) same++;
    cx.set(x[i]!, (cx.get(x[i]!) ?? 0) + 1);
    cy.set(y[i]!, (cy.get(y[i]!) ?? 0) + 1);
  }
  const po = same / n;
  let pe = 0;
  for (const [k, c] of cx) pe += (c / n) * ((cy.get(k) ?? 0) / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/**
 * Krippendorff's alpha for nominal data, from the coincidence counts: units are the value
 * lists of each item (only those with two or more values count);
 * alpha = 1 − (n − 1) · Σ_u Σ_{c≠k} n_uc·n_uk / (m_u − 1) / Σ_{c≠k} n_c·n_k.
 */
export function krippendorffAlpha(units: readonly (readonly Label[])[]): number | null {
  const totals = new Map<Label, number>();
  let n = 0;
  let observed = 0;
  for (const values of units) {
    const m = values.length;
    if (m < 2) continue;
    const counts = new Map<Label, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    let pairsDiffering = m * m;
    for (const c of counts.values()) pairsDiffering -= c * c;
    observed += pairsDiffering / (m - 1);
    for (const [k, c] of counts) totals.set(k, (totals.get(k) ?? 0) + c);
    n += m;
  }
  let expected = n * n;
  for (const c of totals.values()) expected -= c * c;
  if (n === 0 || expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** Agreement over the resolved decisions of a run; `order` lists problem ids in dataset order. */
export function agreementOf(team: ReadonlyMap<string, ProblemDecisions>, order: readonly string[]): Agreement {
  const annotators = [...new Set([...team.values()].flatMap((t) => t.decisions.map((d) => d.author)))].sort();
  const byProblem = order.filter((id) => team.has(id)).map((id) => ({ id, t: team.get(id)! }));
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i]!;
      const b = annotators[j]!;
      const x: Label[] = [];
      const y: Label[] = [];
      for (const { t } of byProblem) {
        const da = t.decisions.find((d) => d.author === a);
        const db = t.decisions.find((d) => d.author === b);
        if (da && db) {
          x.push(da.label);
          y.push(db.label);
        }
      }
      if (x.length === 0) continue;
      pairs.push({ a, b, items: x.length, observed: x.filter((l, k) => l === y[k]).length / x.length, kappa: cohensKappa(x, y) });
    }
  }
  const units = byProblem.map(({ t }) => t.decisions.map((d) => d.label));
  return {
    annotators,
    pairs,
    alpha: krippendorffAlpha(units),
    units: units.filter((u) => u.length >= 2).length,
    conflicts: byProblem.filter(({ t }) => t.kind === 'conflict').map(({ id }) => id),
  };
}
