import type {
  CuratorEvent,
  EffectiveLabel,
  Grade,
  LabelState,
  Pair,
  Problem,
  RdeMode,
  Response,
  RewardScore,
  RunSettings,
  StepScores,
} from '../schema/index';
import { effectiveLabel, labelSource } from '../schema/index';
import { splitSteps } from '../steps';
import { rdeLabel, rdeStats, type PresampleFacts, type Thresholds } from '../rde';
import { planBudget } from '../budget-plan';
import { applyPairEdits, autoPairs, DEFAULT_PAIR_RULES, exportOrder, isPairEdit, type PairCandidate, type PairEditEvent, type PairRules } from '../pairs';
import type { ProblemState, ResponseView, RunState } from './run-state';
import { resolveLabels } from '../team/label-resolution';
import type { ResponseFacts } from './response-facts';
import { ViewFacts } from './view-facts';

/** What the read model is derived from: the settings, the dataset and the logs (by lookup). */
export interface DeriveInput {
  settings: RunSettings;
  problems: readonly Problem[];
  responsesOf(problemId: string): readonly Response[];
  grade(responseId: string): Grade | undefined;
  prm(responseId: string): StepScores | undefined;
  reward(responseId: string): RewardScore | undefined;
  events: readonly CuratorEvent[];
  /** A digest of a response's text, when known: different digests mean different texts (pairing then reads no text). */
  textDigest?(response: Response): number | undefined;
  /**
   * A problem's responses as numbers (response-facts.ts), when the logs' index has them:
   * statistics and pairs then come from them, and `ProblemState.responses` is built only
   * when something reads it.
   */
  responseFactsOf?(problemId: string): ResponseFacts;
}

/** "What if" knobs: relabel with other thresholds or another RDE mode without touching the logs. */
export interface RelabelOptions {
  thresholds?: Thresholds;
  rdeMode?: RdeMode;
  /** Which truncated / answerless responses may be rejected (never chosen); default: none. */
  pairRules?: PairRules;
}

/** Steps are split only when someone looks: a 100k-problem run never pays for it on relabel. */
class LazyResponseView implements ResponseView {
  private split: string[] | undefined;
  constructor(
    readonly response: Response,
    readonly grade: Grade | null,
    readonly stepScores: number[] | null,
    readonly minScore: number | null,
    readonly minStepIndex: number | null,
    readonly reward: number | null,
    private readonly separator: string,
    digestOf: ((r: Response) => number | undefined) | undefined,
  ) {
    this.#digestOf = digestOf;
  }
  /** A private field: two views of one response compare equal whichever store lookup they hold. */
  readonly #digestOf: ((r: Response) => number | undefined) | undefined;
  /** Asked only when pairing, so a problem that never pairs costs no lookup. */
  get textDigest(): number | undefined {
    return this.#digestOf?.(this.response);
  }
  get steps(): string[] {
    return (this.split ??= splitSteps(this.response.text, this.separator));
  }
}

/**
 * Automatic pairs depend only on a problem's responses (and the seed and ranking), not on
 * the thresholds: a relabel reuses them for problems that stay Boundary. Kept with a derived
 * state's lazy responses; for a state made some other way (a copy, a test's), by its views.
 */
const autoPairCache = new WeakMap<readonly ResponseView[], CachedPairs>();
interface CachedPairs {
  key: string;
  pairs: Pair[];
}

function cachedAutoPairs(ps: ProblemState, seed: number, rankByReward: boolean, rules: PairRules): Pair[] {
  const lazy = lazyOf(ps);
  const key = `${seed}:${rankByReward}:${rules.keepTruncatedRejected}:${rules.keepUnansweredRejected}`;
  const hit = lazy ? lazy.pairs : autoPairCache.get(ps.responses);
  if (hit && hit.key === key) return hit.pairs;
  const candidates = candidatesOf(lazy ? lazy.facts : new ViewFacts(ps.responses, digestOfView), rankByReward);
  const pairs = autoPairs(ps.problem.id, candidates, seed, rules);
  if (lazy) lazy.pairs = { key, pairs };
  else autoPairCache.set(ps.responses, { key, pairs });
  return pairs;
}

/** A view's text digest, when its store knows it (LazyResponseView asks it then). */
function digestOfView(v: ResponseView): number | undefined {
  return v instanceof LazyResponseView ? v.textDigest : undefined;
}

/** The pairing candidates of a problem: its graded responses, from the facts (no view, no record needed). */
function candidatesOf(f: ResponseFacts, rankByReward: boolean): PairCandidate[] {
  const candidates: PairCandidate[] = [];
  for (let i = 0; i < f.count; i++) {
    const correct = f.correct(i);
    if (correct === null) continue;
    candidates.push({
      id: f.id(i),
      text: `#${f.textClass(i)}`,
      correct,
      score: rankByReward ? f.reward(i) : f.minScore(i),
      truncated: f.truncated(i),
      answered: f.answered(i),
    });
  }
  return candidates;
}

/** A problem's responses from facts: the views are built the first time `responses` is read. */
interface LazyResponses {
  facts: ResponseFacts;
  build: () => ResponseView[];
  views: ResponseView[] | undefined;
  /** The automatic pairs (they depend only on the responses), kept for the next relabel. */
  pairs: CachedPairs | undefined;
}

/** Where a problem state keeps its lazy responses: a symbol-keyed, non-enumerable property, invisible to spreads, JSON and comparisons. */
const LAZY = Symbol('lazyResponses');
type WithLazy = ProblemState & { [LAZY]: LazyResponses };

function lazyOf(ps: ProblemState): LazyResponses | undefined {
  return (ps as Partial<WithLazy>)[LAZY];
}

/** The one getter every lazy problem state shares. */
function lazyResponsesGetter(this: WithLazy): ResponseView[] {
  const lazy = this[LAZY];
  return (lazy.views ??= lazy.build());
}

/** A problem state whose `responses` is an enumerable accessor (spreads, JSON and comparisons see an array). `fields`: a new object, made the state. */
function withLazyResponses(fields: Omit<ProblemState, 'responses'>, lazy: LazyResponses): ProblemState {
  Object.defineProperty(fields, LAZY, { value: lazy });
  Object.defineProperty(fields, 'responses', { get: lazyResponsesGetter, enumerable: true, configurable: true });
  return fields as ProblemState;
}

/** `ps` with other labels and pairs; lazy responses stay lazy (a spread would build them). */
function relabelled(ps: ProblemState, changes: Pick<ProblemState, 'label' | 'effective' | 'labelSource' | 'reviewed' | 'pairs' | 'team'>): ProblemState {
  const lazy = lazyOf(ps);
  if (!lazy) return { ...ps, ...changes };
  const { problem, phiA, phiR, graded, correct, responseCount } = ps;
  const { label, effective, labelSource, reviewed, pairs, team } = changes;
  return withLazyResponses({ problem, phiA, phiR, graded, correct, responseCount, label, effective, labelSource, reviewed, pairs, team }, lazy);
}

/** Events that still apply: an undo cancels its target (and an undone undo cancels nothing). */
export function activeEvents(events: readonly CuratorEvent[]): CuratorEvent[] {
  const cancelled = new Set<string>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (cancelled.has(e.id)) continue;
    if (e.type === 'undo') cancelled.add(e.undoes);
  }
  return events.filter((e) => e.type !== 'undo' && !cancelled.has(e.id));
}

function viewOf(input: DeriveInput, r: Response): ResponseView {
  const grade = input.grade(r.id) ?? null;
  const prm = input.prm(r.id);
  const scores = prm ? prm.scores : null;
  let minScore: number | null = null;
  let minStepIndex: number | null = null;
  if (scores && scores.length > 0) {
    minStepIndex = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! < scores[minStepIndex]!) minStepIndex = i;
    minScore = scores[minStepIndex]!;
  }
  const reward = input.reward(r.id)?.score ?? null;
  return new LazyResponseView(r, grade, scores, minScore, minStepIndex, reward, input.settings.stepSeparator, input.textDigest);
}

/** Builds the whole read model from the logs. Linear in the number of responses. */
export function deriveRunState(input: DeriveInput, options: RelabelOptions = {}): RunState {
  const presample = input.settings.budget.presample;
  const problems: ProblemState[] = input.problems.map((problem) => problemStateOf(input, problem, presample));
  const base: RunState = {
    settings: input.settings,
    problems,
    byId: new Map(), // built by relabel, below
    counts: { inlier: 0, outlier: 0, boundary: 0, unlabelled: 0 },
    events: activeEvents(input.events),
    thresholds: input.settings.thresholds,
    prmConfigured: input.settings.prm.protocol !== 'none',
    budget: { N: input.settings.budget.N, presample, spent: 0, planned: 0, plan: planBudget({ problems: [], N: 1, presample: 1, seed: 0 }) },
    pairs: [],
  };
  return relabel(base, options);
}

/**
 * The read model after the logs grew (a followed run): the problems in `changed` are
 * derived again from the logs, the others kept, then labels, plan and pairs follow as in
 * `relabel`. Equal to `deriveRunState` over the same logs when `changed` names every
 * problem whose responses or scores changed; the dataset and settings must be the same.
 */
export function rederive(previous: RunState, input: DeriveInput, changed: ReadonlySet<string>, options: RelabelOptions = {}): RunState {
  const presample = input.settings.budget.presample;
  const problems = previous.problems.map((ps) => (changed.has(ps.problem.id) ? problemStateOf(input, ps.problem, presample, ps) : ps));
  return labelled({ ...previous, problems, events: activeEvents(input.events) }, options, { previous, changed });
}

/**
 * What a relabel's per-problem results depend on besides the problem's own responses: a
 * state labelled with the same can keep its problems' labels and pairs as they are.
 */
const labelledWith = new WeakMap<RunState, string>();

/** A view of `previous` kept when the logs still hold the same grade and scores for its response (equal values: a store may hand out new records each time). */
function unchangedView(previous: ResponseView | undefined, input: DeriveInput, r: Response): ResponseView | undefined {
  if (!previous || !sameGrade(previous.grade, input.grade(r.id) ?? null)) return undefined;
  if (!sameScores(previous.stepScores, input.prm(r.id)?.scores ?? null) || previous.reward !== (input.reward(r.id)?.score ?? null)) return undefined;
  return previous;
}

function sameGrade(a: Grade | null, b: Grade | null): boolean {
  return a === b || (a !== null && b !== null && a.responseId === b.responseId && a.correct === b.correct && a.extracted === b.extracted && a.method === b.method && a.grader === b.grader);
}

function sameScores(a: readonly number[] | null, b: readonly number[] | null): boolean {
  return a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));
}

/**
 * One problem's responses and statistics from the logs, before labelling. With the index's
 * columns (a ProjectStore) from their facts, the views built when first read; from records,
 * the views built now (those of `previous` whose scores did not change kept) and their facts
 * read the same way.
 */
function problemStateOf(input: DeriveInput, problem: Problem, presample: number, previous?: ProblemState): ProblemState {
  if (input.responseFactsOf) return problemStateFromFacts(input, input.responseFactsOf(problem.id), problem, presample, previous);
  const raw = input.responsesOf(problem.id);
  const ordered = raw.every((r, i) => i === 0 || raw[i - 1]!.slot < r.slot) ? raw : [...raw].sort((a, b) => a.slot - b.slot);
  const views = viewsOf(input, ordered, previous?.responses);
  return problemStateFromFacts(input, new ViewFacts(views, digestOfView), problem, presample, undefined, views);
}

/** The views of `responses`, keeping each of `previous` (when given) whose grade and scores did not change. */
function viewsOf(input: DeriveInput, responses: readonly Response[], previous: readonly ResponseView[] | undefined): ResponseView[] {
  const kept = previous && new Map(previous.map((v) => [v.response.id, v]));
  return responses.map((r) => unchangedView(kept?.get(r.id), input, r) ?? viewOf(input, r));
}

/** Statistics from facts; the views are `views` when already built, else built when first read (those of `previous` already built and unchanged kept). */
function problemStateFromFacts(input: DeriveInput, facts: ResponseFacts, problem: Problem, presample: number, previous?: ProblemState, views?: ResponseView[]): ProblemState {
  const pre: PresampleFacts[] = [];
  let graded = 0;
  let correct = 0;
  for (let i = 0; i < facts.count; i++) {
    const c = facts.correct(i);
    if (c !== null) {
      graded++;
      if (c) correct++;
    }
    if (facts.slot(i) < presample) pre.push({ correct: c, minScore: facts.minScore(i) });
  }
  const stats = rdeStats(pre);
  const before = previous && lazyOf(previous);
  const built = before ? before.views : previous?.responses;
  const build = (): ResponseView[] => viewsOf(input, input.responsesOf(problem.id), built);
  return withLazyResponses(
    { problem, responseCount: facts.count, phiA: stats.phiA, phiR: stats.phiR, label: { derived: 'unlabelled' }, effective: 'unlabelled', labelSource: 'derived', graded, correct, reviewed: false, pairs: [] },
    { facts, build, views, pairs: undefined },
  );
}

/**
 * Labels, plan and pairs from already derived per-problem statistics: the cheap half of
 * derivation, run again when a threshold or an override changes. Returns a new state.
 */
export function relabel(state: RunState, options: RelabelOptions = {}): RunState {
  return labelled(state, options);
}

/** `relabel`; after `rederive`, problems outside `changed` are kept as labelled when nothing else they depend on changed. */
function labelled(state: RunState, options: RelabelOptions, since?: { previous: RunState; changed: ReadonlySet<string> }): RunState {
  const settings = state.settings;
  let thresholds: Thresholds = settings.thresholds;
  const reviewed = new Map<string, boolean>();
  const edits = new Map<string, PairEditEvent[]>();
  for (const e of state.events) {
    if (e.type === 'thresholds') thresholds = { tauLow: e.tauLow, tauHigh: e.tauHigh };
    else if (e.type === 'reviewed') reviewed.set(e.problemId, e.reviewed);
    else if (isPairEdit(e)) {
      const list = edits.get(e.problemId);
      if (list) list.push(e);
      else edits.set(e.problemId, [e]);
    }
  }
  // Several annotators' overrides resolve to one label per problem, or to a conflict (none applies).
  const team = resolveLabels(state.events);
  if (options.thresholds) thresholds = options.thresholds;
  const mode = options.rdeMode ?? settings.rdeMode;
  const counts: Record<EffectiveLabel, number> = { inlier: 0, outlier: 0, boundary: 0, unlabelled: 0 };
  const rankByReward = settings.pairRanking === 'reward-model';
  const pairRules = options.pairRules ?? DEFAULT_PAIR_RULES;
  let spent = 0;
  const allPairs: Pair[] = [];
  const key = JSON.stringify([thresholds, mode, pairRules, settings.seed, settings.budget, settings.pairRanking, state.prmConfigured, state.events]);
  const kept = since && labelledWith.get(since.previous) === key ? since.changed : null;

  /** After a followed change: the problems labelled again (the others are kept as they were). */
  const relabelledSince: ProblemState[] = [];
  const problems = state.problems.map((ps): ProblemState => {
    const id = ps.problem.id;
    if (kept && !kept.has(id)) {
      counts[ps.effective]++;
      spent += ps.responseCount;
      for (const p of ps.pairs) allPairs.push(p);
      return ps;
    }
    const decided = team.get(id);
    const override: LabelState['override'] = decided?.by ? { label: decided.by.label, reason: decided.by.reason, author: decided.by.author, at: decided.by.at } : undefined;
    const label: LabelState = { derived: rdeLabel(ps, thresholds, mode, state.prmConfigured), ...(override ? { override } : {}) };
    const effective = effectiveLabel(label);
    counts[effective]++;
    spent += ps.responseCount;
    let pairs: Pair[] = [];
    if (effective === 'boundary') pairs = cachedAutoPairs(ps, settings.seed, rankByReward, pairRules);
    const problemEdits = edits.get(id);
    if (problemEdits) {
      const scoreOf = (rid: string): number | null => {
        const v = ps.responses.find((x) => x.response.id === rid);
        return v ? (rankByReward ? v.reward : v.minScore) : null;
      };
      pairs = applyPairEdits(id, pairs, problemEdits, scoreOf);
    }
    for (const p of pairs) allPairs.push(p);
    const next = relabelled(ps, { label, effective, labelSource: labelSource(label), reviewed: reviewed.get(id) ?? false, pairs, team: decided });
    if (kept) relabelledSince.push(next);
    return next;
  });

  // A followed change replaces the few problems it touched in a copy of the previous map (copying is cheaper than filling one).
  const byId = new Map<string, ProblemState>(kept ? since!.previous.byId : undefined);
  for (const p of kept ? relabelledSince : problems) byId.set(p.problem.id, p); // no [id, state] pair per problem to collect
  // The plan depends only on the labels (and the budget and seed): unchanged labels, the same plan.
  const labelsAsBefore = kept !== null && [...kept].every((id) => since!.previous.byId.get(id)?.effective === byId.get(id)?.effective);
  const plan = labelsAsBefore
    ? since!.previous.budget.plan
    : planBudget({
        problems: problems.map((p) => ({ id: p.problem.id, label: p.effective })),
        N: settings.budget.N,
        presample: settings.budget.presample,
        seed: settings.seed,
      });
  // A problem keeps what it already has (e.g. re-sampled before the curator moved it out of Boundary).
  const plannedFor = (p: ProblemState) => Math.max(plan.targets.get(p.problem.id) ?? 0, p.responseCount);
  let planned = 0;
  if (labelsAsBefore) {
    // The same plan: only the touched problems' share can have moved.
    planned = since!.previous.budget.planned;
    for (const p of relabelledSince) planned += plannedFor(p) - plannedFor(since!.previous.byId.get(p.problem.id)!);
  } else for (const p of problems) planned += plannedFor(p);
  const next: RunState = {
    ...state,
    problems,
    byId,
    counts,
    thresholds,
    budget: { N: settings.budget.N, presample: settings.budget.presample, spent, planned, plan },
    pairs: exportOrder(allPairs, settings.seed),
  };
  labelledWith.set(next, key);
  return next;
}
