import type { EffectiveLabel } from './schema/index';
import { seededRandom, shuffled } from './random';

/** Stage 2's budget reallocation (docs/method.md, "Stage 2"): what each problem should end up with. */

export interface BudgetInput {
  /** Problems in dataset order with their effective label (curator overrides included). */
  problems: readonly { id: string; label: EffectiveLabel }[];
  N: number;
  presample: number;
  seed: number;
}

export interface BudgetPlan {
  /** Responses each problem should have in total when the run is complete (by id). */
  targets: Map<string, number>;
  /** Boundary problem ids in dataset order. */
  boundary: string[];
  /** B = (N − n_p)·|D|. */
  remaining: number;
  /** floor(B / |Boundary|): the extra responses every Boundary problem gets. */
  perBoundary: number;
  /** Boundary problems drawn with the seed to get one more (B mod |Boundary| of them). */
  luckyIds: string[];
  /** Sum of the targets: N·|D| when there is a Boundary problem, else n_p·|D|. */
  planned: number;
  /** Budget left unspent because no problem is Boundary. */
  unspent: number;
}

export function planBudget(input: BudgetInput): BudgetPlan {
  const { problems, N, presample, seed } = input;
  const remaining = (N - presample) * problems.length;
  const boundary = problems.filter((p) => p.label === 'boundary').map((p) => p.id);
  const targets = new Map<string, number>();
  for (const p of problems) targets.set(p.id, presample);
  if (boundary.length === 0) {
    return { targets, boundary, remaining, perBoundary: 0, luckyIds: [], planned: presample * problems.length, unspent: remaining };
  }
  const perBoundary = Math.floor(remaining / boundary.length);
  const extra = remaining % boundary.length;
  const luckyIds = shuffled(boundary, seededRandom(seed)).slice(0, extra);
  for (const id of boundary) targets.set(id, presample + perBoundary);
  for (const id of luckyIds) targets.set(id, presample + perBoundary + 1);
  return { targets, boundary, remaining, perBoundary, luckyIds, planned: N * problems.length, unspent: 0 };
}

export interface CostInput {
  /** Responses still to buy. */
  missing: number;
  /** Token usage of the responses bought so far (the pre-samples), to take the mean from. */
  usage: Iterable<{ prompt: number; completion: number }>;
  prices: { promptPerMTok: number; completionPerMTok: number };
}

export interface CostEstimate {
  promptTokens: number;
  completionTokens: number;
  /** US dollars. */
  cost: number;
  /** False when no response was bought yet, so there is no mean to go on. */
  known: boolean;
}

export function estimateCost(input: CostInput): CostEstimate {
  let n = 0;
  let prompt = 0;
  let completion = 0;
  for (const u of input.usage) {
    n++;
    prompt += u.prompt;
    completion += u.completion;
  }
  if (n === 0) return { promptTokens: 0, completionTokens: 0, cost: 0, known: false };
  const promptTokens = Math.round((prompt / n) * input.missing);
  const completionTokens = Math.round((completion / n) * input.missing);
  const cost =
    (promptTokens * input.prices.promptPerMTok + completionTokens * input.prices.completionPerMTok) / 1_000_000;
  return { promptTokens, completionTokens, cost, known: true };
}
