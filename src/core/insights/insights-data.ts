import type { FailureRecord } from '../schema/index';
import type { RunState } from '../state/run-state';
import { budgetSummary, type BudgetSummary } from './spend';
import { calibrationData, type CalibrationData } from './calibration';
import { estimationQuality, type EstimationQuality } from './estimation';
import { rewardDebug, type RewardDebug } from './reward-debug';
import { compareRounds, type RoundComparison } from './rounds';
import { prmVsHuman, type PrmVsHuman } from './prm-vs-human';
import { auditQueue, type AuditQueue } from './audit-queue';
import { agreementOf, type Agreement } from '../team/agreement';
import { resolveLabels } from '../team/label-resolution';

/** Everything the insights panel shows, computed from the read model in one pass per view. */
export interface InsightsData {
  runRound: number;
  calibration: CalibrationData;
  rewardDebug: RewardDebug & { totals: { correctLow: number; incorrectHigh: number; invertedPairs: number; perProblem: number } };
  estimation: EstimationQuality;
  budget: BudgetSummary;
  rounds: RoundComparison | null;
  /** Why there is no round comparison (first round, or the earlier run could not be read). */
  roundsNote: string | null;
  /** The PRM against human step labels, and the responses to audit next. */
  stepAudit: { prm: PrmVsHuman; queue: AuditQueue };
  /** Annotators' agreement (kappa per pair, alpha) and the conflicts to resolve. */
  agreement: Agreement;
}

export interface InsightsInput {
  failures?: readonly FailureRecord[];
  /** The earlier round's read model, when this run is a next round and it could be read. */
  previous?: RunState | null;
  /** Why `previous` is missing, when the run names one. */
  previousError?: string;
  /** Longest list sent per table; the totals stay exact. */
  maxRows?: number;
}

export function insightsData(run: RunState, input: InsightsInput = {}): InsightsData {
  const max = input.maxRows ?? 500;
  const debug = rewardDebug(run);
  const estimation = estimationQuality(run);
  const previousRun = run.settings.round.previousRun;
  const rounds = input.previous ? compareRounds(input.previous, run) : null;
  let roundsNote: string | null = null;
  if (!rounds) {
    roundsNote = previousRun
      ? `the previous round (${previousRun}) could not be read${input.previousError ? `: ${input.previousError}` : ''}`
      : 'this run is a first round; create the next one with `hsstar init --next-round-of DIR`';
  }
  return {
    runRound: run.settings.round.index,
    calibration: calibrationData(run),
    rewardDebug: {
      ...debug,
      correctLow: debug.correctLow.slice(0, max),
      incorrectHigh: debug.incorrectHigh.slice(0, max),
      invertedPairs: debug.invertedPairs.slice(0, max),
      perProblem: debug.perProblem.slice(0, max),
      totals: {
        correctLow: debug.correctLow.length,
        incorrectHigh: debug.incorrectHigh.length,
        invertedPairs: debug.invertedPairs.length,
        perProblem: debug.perProblem.length,
      },
    },
    estimation: { ...estimation, disagreements: estimation.disagreements.slice(0, max) },
    budget: budgetSummary(run, input.failures ?? []),
    rounds: rounds ? { ...rounds, moved: rounds.moved.slice(0, max) } : null,
    roundsNote,
    stepAudit: { prm: prmVsHuman(run, 0.5, Math.min(max, 10)), queue: auditQueue(run, 0.5, Math.min(max, 50)) },
    agreement: agreementOf(resolveLabels(run.events), run.problems.map((p) => p.problem.id)),
  };
}
