import { z } from 'zod';
import { Problem } from '../../core/schema/problem';
import { ExtractionMethod } from '../../core/schema/grade';
import { FailureRecord, type GradeRecord, type PrmRecord, type ResponseRecord, type RewardRecord } from '../../core/schema/records';

/** The in-memory index keeps a response without its text, where its line is in responses.jsonl, and its text's digest (text-digest.ts). */
export type ResponseMeta = Omit<ResponseRecord, 'text'> & { offset: number; length: number; textDigest: number };

/** The store's index as the checkpoint keeps it. */
export interface IndexContent {
  problems: Problem[];
  metas: Iterable<ResponseMeta>;
  grades: Iterable<GradeRecord>;
  prms: Iterable<PrmRecord>;
  rewards: Iterable<RewardRecord>;
  failures: FailureRecord[];
}

/**
 * The same, column by column: numbers in typed arrays (serialised as raw bytes), strings
 * once in a table. A million records as objects would cost their key names each and take
 * seconds to read back. A response's id and the scores that name it share one string of
 * the table, so the maps keyed by it hash it once.
 */
export interface IndexColumns {
  problems: Problem[];
  strings: string[];
  responses: {
    id: Uint32Array;
    problem: Uint32Array;
    slot: Float64Array;
    stage: Uint8Array;
    finishReason: Int32Array;
    prompt: Float64Array;
    completion: Float64Array;
    model: Uint32Array;
    latencyMs: Float64Array;
    at: Uint32Array;
    round: Float64Array;
    offset: Float64Array;
    length: Float64Array;
    textDigest: Float64Array;
  };
  grades: { ref: Uint32Array; extracted: (string | null)[]; method: Uint32Array; correct: Uint8Array; grader: Uint32Array };
  prms: { ref: Uint32Array; counts: Uint32Array; scores: Float64Array; model: Uint32Array };
  rewards: { ref: Uint32Array; score: Float64Array; model: Uint32Array };
  failures: FailureRecord[];
}

/** Strings kept once; an index into the table stands for each. */
class StringTable {
  readonly list: string[] = [];
  private readonly at = new Map<string, number>();
  of(s: string): number {
    let i = this.at.get(s);
    if (i === undefined) this.at.set(s, (i = this.list.push(s) - 1));
    return i;
  }
}

export function toColumns(c: IndexContent): IndexColumns {
  const table = new StringTable();
  const metas = [...c.metas];
  const n = metas.length;
  const r: IndexColumns['responses'] = {
    id: new Uint32Array(n),
    problem: new Uint32Array(n),
    slot: new Float64Array(n),
    stage: new Uint8Array(n),
    finishReason: new Int32Array(n),
    prompt: new Float64Array(n),
    completion: new Float64Array(n),
    model: new Uint32Array(n),
    latencyMs: new Float64Array(n),
    at: new Uint32Array(n),
    round: new Float64Array(n),
    offset: new Float64Array(n),
    length: new Float64Array(n),
    textDigest: new Float64Array(n),
  };
  metas.forEach((m, i) => {
    r.id[i] = table.of(m.id);
    r.problem[i] = table.of(m.problemId);
    r.slot[i] = m.slot;
    r.stage[i] = m.stage === 'pre' ? 0 : 1;
    r.finishReason[i] = m.finishReason === null ? -1 : table.of(m.finishReason);
    r.prompt[i] = m.usage.prompt;
    r.completion[i] = m.usage.completion;
    r.model[i] = table.of(m.model);
    r.latencyMs[i] = m.latencyMs;
    r.at[i] = table.of(m.at);
    r.round[i] = m.round;
    r.offset[i] = m.offset;
    r.length[i] = m.length;
    r.textDigest[i] = m.textDigest;
  });
  const grades = [...c.grades];
  const prms = [...c.prms];
  const rewards = [...c.rewards];
  const g: IndexColumns['grades'] = { ref: new Uint32Array(grades.length), extracted: [], method: new Uint32Array(grades.length), correct: new Uint8Array(grades.length), grader: new Uint32Array(grades.length) };
  grades.forEach((x, i) => {
    g.ref[i] = table.of(x.responseId);
    g.extracted.push(x.extracted);
    g.method[i] = table.of(x.method);
    g.correct[i] = x.correct ? 1 : 0;
    g.grader[i] = table.of(x.grader);
  });
  const total = prms.reduce((a, x) => a + x.scores.length, 0);
  const p: IndexColumns['prms'] = { ref: new Uint32Array(prms.length), counts: new Uint32Array(prms.length), scores: new Float64Array(total), model: new Uint32Array(prms.length) };
  let k = 0;
  prms.forEach((x, i) => {
    p.ref[i] = table.of(x.responseId);
    p.counts[i] = x.scores.length;
    p.scores.set(x.scores, k);
    k += x.scores.length;
    p.model[i] = table.of(x.model);
  });
  const w: IndexColumns['rewards'] = { ref: new Uint32Array(rewards.length), score: new Float64Array(rewards.length), model: new Uint32Array(rewards.length) };
  rewards.forEach((x, i) => {
    w.ref[i] = table.of(x.responseId);
    w.score[i] = x.score;
    w.model[i] = table.of(x.model);
  });
  return { problems: c.problems, strings: table.list, responses: r, grades: g, prms: p, rewards: w, failures: c.failures };
}

/** Calls back with each record of the columns, in the order they were stored. */
export function fromColumns(
  c: IndexColumns,
  on: {
    response: (m: ResponseMeta) => void;
    grade: (g: GradeRecord) => void;
    prm: (p: PrmRecord) => void;
    reward: (r: RewardRecord) => void;
  },
): void {
  const s = c.strings;
  const r = c.responses;
  for (let i = 0; i < r.problem.length; i++) {
    const f = r.finishReason[i]!;
    on.response({
      kind: 'response',
      id: s[r.id[i]!]!,
      problemId: s[r.problem[i]!]!,
      slot: r.slot[i]!,
      stage: r.stage[i] === 0 ? 'pre' : 're',
      finishReason: f < 0 ? null : s[f]!,
      usage: { prompt: r.prompt[i]!, completion: r.completion[i]! },
      model: s[r.model[i]!]!,
      latencyMs: r.latencyMs[i]!,
      at: s[r.at[i]!]!,
      round: r.round[i]!,
      offset: r.offset[i]!,
      length: r.length[i]!,
      textDigest: r.textDigest[i]!,
    });
  }
  const g = c.grades;
  for (let i = 0; i < g.ref.length; i++) {
    on.grade({ kind: 'grade', responseId: s[g.ref[i]!]!, extracted: g.extracted[i]!, method: s[g.method[i]!]! as GradeRecord['method'], correct: g.correct[i] === 1, grader: s[g.grader[i]!]! });
  }
  const p = c.prms;
  for (let i = 0, k = 0; i < p.ref.length; i++) {
    const count = p.counts[i]!;
    const scores = new Array<number>(count);
    for (let j = 0; j < count; j++) scores[j] = p.scores[k + j]!;
    k += count;
    on.prm({ kind: 'prm', responseId: s[p.ref[i]!]!, scores, model: s[p.model[i]!]! });
  }
  const w = c.rewards;
  for (let i = 0; i < w.ref.length; i++) on.reward({ kind: 'reward', responseId: s[w.ref[i]!]!, score: w.score[i]!, model: s[w.model[i]!]! });
}

/**
 * Whether a deserialised value has the shape toColumns writes, every index in range and
 * every value of the schemas' types (the file is outside data like the logs: the problems
 * and failures go through zod, the columns through checks of their types): else the
 * checkpoint is damaged.
 */
export function isIndexColumns(v: unknown): v is IndexColumns {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<IndexColumns>;
  if (!Array.isArray(c.strings) || !c.strings.every((x) => typeof x === 'string')) return false;
  if (!z.array(Problem).safeParse(c.problems).success || !z.array(FailureRecord).safeParse(c.failures).success) return false;
  const size = c.strings.length;
  const inTable = (a: unknown, n: number, allowNone = false): boolean =>
    (a instanceof Uint32Array || a instanceof Int32Array) && a.length === n && a.every((x) => x < size && (allowNone ? x >= -1 : x >= 0));
  const numbers = (a: unknown, n: number) => a instanceof Float64Array && a.length === n;
  const r = c.responses;
  if (typeof r !== 'object' || r === null || !(r.problem instanceof Uint32Array)) return false;
  const n = r.problem.length;
  if (!inTable(r.id, n) || !inTable(r.problem, n) || !inTable(r.model, n) || !inTable(r.at, n) || !inTable(r.finishReason, n, true)) return false;
  if (!(r.stage instanceof Uint8Array) || r.stage.length !== n) return false;
  if (![r.slot, r.prompt, r.completion, r.latencyMs, r.round, r.offset, r.length, r.textDigest].every((a) => numbers(a, n))) return false;
  const g = c.grades;
  if (typeof g !== 'object' || g === null || !(g.ref instanceof Uint32Array)) return false;
  const ng = g.ref.length;
  if (!inTable(g.ref, ng) || !inTable(g.method, ng) || !inTable(g.grader, ng) || !Array.isArray(g.extracted) || g.extracted.length !== ng || !(g.correct instanceof Uint8Array) || g.correct.length !== ng) return false;
  if (!g.extracted.every((x) => x === null || typeof x === 'string')) return false;
  const strings = c.strings;
  if (![...new Set(g.method)].every((i) => ExtractionMethod.safeParse(strings[i]).success)) return false;
  if (![...r.stage].every((x) => x <= 1)) return false;
  const count = (x: number) => Number.isSafeInteger(x) && x >= 0;
  if (![r.slot, r.prompt, r.completion, r.round, r.offset, r.length].every((a) => a.every(count))) return false;
  if (!r.latencyMs.every((x) => Number.isFinite(x) && x >= 0)) return false;
  if (!r.textDigest.every((x) => x === -1 || count(x))) return false;
  const p = c.prms;
  if (typeof p !== 'object' || p === null || !(p.ref instanceof Uint32Array)) return false;
  const np = p.ref.length;
  if (!inTable(p.ref, np) || !inTable(p.model, np) || !(p.counts instanceof Uint32Array) || p.counts.length !== np || !(p.scores instanceof Float64Array)) return false;
  if (p.counts.reduce((a, x) => a + x, 0) !== p.scores.length || !p.scores.every((x) => x >= 0 && x <= 1)) return false;
  const w = c.rewards;
  if (typeof w !== 'object' || w === null || !(w.ref instanceof Uint32Array)) return false;
  return inTable(w.ref, w.ref.length) && inTable(w.model, w.ref.length) && numbers(w.score, w.ref.length) && w.score.every(Number.isFinite);
}
