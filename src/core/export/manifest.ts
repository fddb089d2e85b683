import type { EffectiveLabel } from '../schema/index';
import type { RunState } from '../state/run-state';
import type { ExportFormat } from './formats';
import type { ExportLengths } from './lengths';
import type { LeftOut } from './left-out';
import type { PairRules } from '../pairs';
import type { TrainerCommand } from './trainer-commands';

/** How concentrated the pairs are: a set where a few problems give most pairs teaches those problems. */
export interface PairsPerProblem {
  problems: number;
  median: number;
  max: number;
  /** Share of the pairs that come from the tenth of the problems with the most pairs. */
  topTenthShare: number;
}

/** Written beside every export so a training set can be traced to its run. */
export interface ExportManifest {
  format: ExportFormat;
  file: string;
  createdAt: string;
  problems: number;
  labels: Record<EffectiveLabel, number>;
  overrides: number;
  pairs: number;
  curatorPairs: number;
  responses: number;
  budget: { N: number; presample: number; spent: number; planned: number };
  thresholds: { tauLow: number; tauHigh: number };
  rdeMode: string;
  pairRanking: string;
  seed: number;
  /** sha256 of the canonical settings JSON (no keys are ever in settings). */
  settingsHash: string;
  /** sha256 of the source dataset file, as recorded when the run was created. */
  datasetHash: string;
  usage: string;
  /** Curation round of the run (0 for a first run). */
  round: number;
  /** What produced the responses: model, API mode, the prompt as sent and the sampling parameters. */
  policy: {
    model: string;
    api: 'chat' | 'completions';
    /** Null for a completions run (no system message is sent). */
    systemPrompt: string | null;
    promptTemplate: string;
    sampling: { temperature: number; topP: number; maxTokens: number; stop: string[]; seed: number | null; nPerRequest: number };
  };
  prm: { protocol: string; model: string };
  reward: { protocol: string; model: string };
  /** Grader versions of the paired responses. */
  graders: string[];
  pairsPerProblem: PairsPerProblem;
  tokens: ExportLengths & { countedBy: string };
  /** What the pairs leave out and why, under these rules. */
  leftOut: LeftOut & { rules: PairRules };
  /** The held-out problems' pairs, when an evaluation fraction was asked for. */
  eval: { file: string; pairs: number; fraction: number; problems: string[] } | null;
  /** The commands that train on this file, as each trainer parses them today. */
  commands: TrainerCommand[];
}

export interface ManifestArgs {
  format: ExportFormat;
  file: string;
  pairs: number;
  createdAt: string;
  settingsHash: string;
  usage: string;
  graders: string[];
  pairsPerProblem: PairsPerProblem;
  tokens: ExportLengths;
  leftOut: LeftOut;
  rules: PairRules;
  eval: ExportManifest['eval'];
  commands: TrainerCommand[];
}

/** Pairs per problem over the problems that have any. */
export function pairsPerProblem(problemIds: readonly string[]): PairsPerProblem {
  const counts = new Map<string, number>();
  for (const id of problemIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 10)));
  const total = problemIds.length;
  return {
    problems: sorted.length,
    // Nearest rank, as for the token lengths: the lower middle of an even count.
    median: sorted.length ? sorted[sorted.length - Math.ceil(sorted.length / 2)]! : 0,
    max: sorted[0] ?? 0,
    topTenthShare: total ? top.reduce((a, b) => a + b, 0) / total : 0,
  };
}

export function buildManifest(state: RunState, args: ManifestArgs): ExportManifest {
  const { policy, prm, reward } = state.settings;
  return {
    format: args.format,
    file: args.file,
    createdAt: args.createdAt,
    problems: state.problems.length,
    labels: { ...state.counts },
    overrides: state.problems.filter((p) => p.labelSource === 'override').length,
    pairs: args.pairs,
    curatorPairs: state.pairs.filter((p) => p.origin === 'curator').length,
    responses: state.budget.spent,
    budget: { N: state.budget.N, presample: state.budget.presample, spent: state.budget.spent, planned: state.budget.planned },
    thresholds: { ...state.thresholds },
    rdeMode: state.settings.rdeMode,
    pairRanking: state.settings.pairRanking,
    seed: state.settings.seed,
    settingsHash: args.settingsHash,
    datasetHash: state.settings.dataset.sha256,
    usage: args.usage,
    round: state.settings.round.index,
    policy: {
      model: policy.model,
      api: policy.api,
      systemPrompt: policy.api === 'chat' ? policy.systemPrompt : null,
      promptTemplate: policy.promptTemplate,
      sampling: {
        temperature: policy.temperature,
        topP: policy.topP,
        maxTokens: policy.maxTokens,
        stop: policy.stop ?? [],
        seed: policy.seed ?? null,
        nPerRequest: policy.nPerRequest,
      },
    },
    prm: { protocol: prm.protocol, model: prm.model },
    reward: { protocol: reward.protocol, model: reward.model },
    graders: args.graders,
    pairsPerProblem: args.pairsPerProblem,
    tokens: { ...args.tokens, countedBy: 'the policy server (usage.prompt_tokens / completion_tokens)' },
    leftOut: { ...args.leftOut, rules: args.rules },
    eval: args.eval,
    commands: args.commands,
  };
}

/** Settings serialised with sorted keys, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
