import type { EffectiveLabel, FailureRecord, RunSettings, Stage } from '../schema/index';
import type { RunState } from '../state/run-state';

export interface Spend {
  responses: number;
  promptTokens: number;
  completionTokens: number;
  /** US dollars at the run's configured prices. */
  cost: number;
}

export interface StageSpend extends Spend {
  /** Sum of request latencies (time the endpoint spent, across parallel requests). */
  latencyMs: number;
  /** From the first request's start to the last response's write; null with no responses. */
  wallMs: number | null;
  /** Responses cut off at the token limit. */
  truncated: number;
}

export interface FailureSummary {
  endpoint: FailureRecord['endpoint'];
  /** Failure records (each one request that failed after its retries). */
  requests: number;
  /** Targets still without a result. */
  failed: number;
  /** Targets that failed once and were fulfilled by a later attempt. */
  recovered: number;
}

export interface BudgetSummary {
  problems: number;
  /** N x |D|, and the pre-sampling share n_p x |D|. */
  planned: { total: number; pre: number };
  total: Spend;
  byStage: Record<Stage, StageSpend>;
  byLabel: Record<EffectiveLabel, Spend>;
  failures: FailureSummary[];
  pricesSet: boolean;
}

const emptySpend = (): Spend => ({ responses: 0, promptTokens: 0, completionTokens: 0, cost: 0 });
const emptyStage = (): StageSpend => ({ ...emptySpend(), latencyMs: 0, wallMs: null, truncated: 0 });

export function costOf(promptTokens: number, completionTokens: number, prices: RunSettings['prices']): number {
  return (promptTokens * prices.promptPerMTok + completionTokens * prices.completionPerMTok) / 1e6;
}

function add(s: Spend, prompt: number, completion: number, prices: RunSettings['prices']): void {
  s.responses++;
  s.promptTokens += prompt;
  s.completionTokens += completion;
  s.cost += costOf(prompt, completion, prices);
}

/** What the budget bought so far: responses, tokens, cost, failures and time. */
export function budgetSummary(run: RunState, failures: readonly FailureRecord[] = []): BudgetSummary {
  const { N, presample } = run.settings.budget;
  const prices = run.settings.prices;
  const byStage: Record<Stage, StageSpend> = { pre: emptyStage(), re: emptyStage() };
  const byLabel: Record<EffectiveLabel, Spend> = { inlier: emptySpend(), outlier: emptySpend(), boundary: emptySpend(), unlabelled: emptySpend() };
  const total = emptySpend();
  const span: Record<Stage, [number, number]> = { pre: [Infinity, -Infinity], re: [Infinity, -Infinity] };
  // Only the targets of failed requests need checking for a later success.
  const targets = new Set<string>();
  for (const f of failures) for (const t of f.targets) targets.add(t);
  const hasResponse = new Set<string>();
  const hasPrm = new Set<string>();
  const hasReward = new Set<string>();
  for (const p of run.problems) {
    for (const v of p.responses) {
      const r = v.response;
      if (targets.has(r.id)) {
        hasResponse.add(r.id);
        if (v.stepScores !== null) hasPrm.add(r.id);
        if (v.reward !== null) hasReward.add(r.id);
      }
      const stage = byStage[r.stage];
      add(stage, r.usage.prompt, r.usage.completion, prices);
      add(byLabel[p.effective], r.usage.prompt, r.usage.completion, prices);
      add(total, r.usage.prompt, r.usage.completion, prices);
      stage.latencyMs += r.latencyMs;
      if (r.finishReason === 'length') stage.truncated++;
      const end = Date.parse(r.at);
      if (Number.isFinite(end)) {
        const s = span[r.stage];
        s[0] = Math.min(s[0], end - r.latencyMs);
        s[1] = Math.max(s[1], end);
      }
    }
  }
  for (const stage of ['pre', 're'] as const) {
    const [a, b] = span[stage];
    if (b >= a) byStage[stage].wallMs = b - a;
  }
  const done = { policy: hasResponse, prm: hasPrm, reward: hasReward };
  const fail = new Map<FailureRecord['endpoint'], { requests: number; targets: Set<string> }>();
  for (const f of failures) {
    let e = fail.get(f.endpoint);
    if (!e) fail.set(f.endpoint, (e = { requests: 0, targets: new Set() }));
    e.requests++;
    for (const t of f.targets) e.targets.add(t);
  }
  const failureRows: FailureSummary[] = [...fail].map(([endpoint, e]) => {
    let recovered = 0;
    for (const t of e.targets) if (done[endpoint].has(t)) recovered++;
    return { endpoint, requests: e.requests, failed: e.targets.size - recovered, recovered };
  });
  const problems = run.problems.length;
  return {
    problems,
    planned: { total: N * problems, pre: presample * problems },
    total,
    byStage,
    byLabel,
    failures: failureRows,
    pricesSet: prices.promptPerMTok > 0 || prices.completionPerMTok > 0,
  };
}

function duration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = s / 60;
  return m < 120 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`;
}

const INDENT = ' '.repeat(10);
const money = (usd: number): string => `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
const tokens = (s: Spend): string => `${s.promptTokens} prompt + ${s.completionTokens} completion tokens`;

/** The budget block of `hsstar status`, as plain lines aligned with its other fields. */
export function budgetReport(summary: BudgetSummary): string[] {
  const s = summary;
  const pct = s.planned.total > 0 ? ` (${((100 * s.total.responses) / s.planned.total).toFixed(1)} %)` : '';
  const cost = (x: Spend): string => (s.pricesSet ? `, ${money(x.cost)}` : '');
  const lines = [
    `budget    ${s.total.responses} of ${s.planned.total} responses${pct}, ${tokens(s.total)}${cost(s.total)}`,
  ];
  if (!s.pricesSet) lines.push(`${INDENT}cost: no prices configured (settings: prices.promptPerMTok, prices.completionPerMTok)`);
  const stageName = { pre: 'pre-sampling', re: 're-sampling' } as const;
  for (const stage of ['pre', 're'] as const) {
    const x = s.byStage[stage];
    const planned = stage === 'pre' ? ` of ${s.planned.pre}` : ` of ${s.planned.total - s.planned.pre}`;
    const trunc = x.truncated > 0 ? `, ${x.truncated} truncated` : '';
    lines.push(`${INDENT}${stageName[stage]}: ${x.responses}${planned} responses, ${tokens(x)}${cost(x)}, time ${duration(x.wallMs)}${trunc}`);
  }
  for (const label of ['inlier', 'outlier', 'boundary', 'unlabelled'] as const) {
    const x = s.byLabel[label];
    if (x.responses > 0) lines.push(`${INDENT}${label}: ${x.responses} responses, ${tokens(x)}${cost(x)}`);
  }
  if (s.failures.length === 0) lines.push(`${INDENT}failed requests: none`);
  for (const f of s.failures) {
    lines.push(`${INDENT}failed requests (${f.endpoint}): ${f.requests}; ${f.failed} still missing, ${f.recovered} recovered on retry`);
  }
  return lines;
}
