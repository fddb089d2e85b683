import type { EffectiveLabel } from '../schema/index';
import type { RunState } from '../state/run-state';
import type { ExportFormat } from './formats';

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
}

export function buildManifest(
  state: RunState,
  args: { format: ExportFormat; file: string; pairs: number; createdAt: string; settingsHash: string; usage: string },
): ExportManifest {
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
