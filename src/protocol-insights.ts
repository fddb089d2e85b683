import { z } from 'zod';
import type { InsightsData } from './core/insights/insights-data';
import { parseMessage, type Parsed } from './protocol';
import { StepRatingValue } from './core/schema/step-labels';

/**
 * The insights panel's messages, declared once for both sides (the inspector's are in
 * protocol.ts). The webview renders what the extension posts and sends intents; the
 * extension owns the run and answers each request with a reply or an error. Both sides
 * parse what they receive and drop what does not parse.
 *
 * The live threshold preview runs in the webview with the same pure function the tests
 * check, re-exported here so the webview needs no other import.
 */
export { calibrationColumns, thresholdPreview, LABELS, NO_OVERRIDE } from './core/insights/calibration';
export type { CalibrationColumns, ThresholdPreview } from './core/insights/calibration';

const Id = z.string().min(1).max(1_000);
const Unit = z.number().min(0).max(1);
const Label = z.enum(['inlier', 'outlier', 'boundary']);
const AnyLabel = z.enum(['inlier', 'outlier', 'boundary', 'unlabelled']);
const Count = z.number().int().nonnegative();

export const InsightsIntent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('apply-thresholds'), tauLow: Unit, tauHigh: Unit }).refine((t) => t.tauLow <= t.tauHigh, {
    message: 'tauLow must not exceed tauHigh',
  }),
  /** Open a problem in the inspector, optionally at one response with its weakest step highlighted. */
  z.strictObject({
    type: z.literal('open-problem'),
    problemId: Id,
    responseId: Id.nullable(),
    stepIndex: z.number().int().nonnegative().nullable(),
  }),
]);
export type InsightsIntent = z.infer<typeof InsightsIntent>;

export const InsightsRequest = z.strictObject({
  kind: z.literal('request'),
  seq: z.number().int().nonnegative(),
  intent: InsightsIntent,
});
export type InsightsRequest = z.infer<typeof InsightsRequest>;

const Histogram = z.strictObject({ phiA: Unit, counts: z.array(Count), unscored: Count });

export const CalibrationPayload = z
  .strictObject({
    ids: z.array(Id),
    x: z.array(z.number()),
    phiA: z.array(Unit),
    phiR: z.array(Unit.nullable()),
    override: z.array(z.number().int().min(-1).max(2)),
    problems: Count,
    N: Count,
    presample: Count,
    mode: z.enum(['accuracy+reward', 'accuracy-only', 'reward-only']),
    prmConfigured: z.boolean(),
    thresholds: z.strictObject({ tauLow: Unit, tauHigh: Unit }),
    bins: z.number().int().positive(),
    histograms: z.array(Histogram),
  })
  .refine((c) => [c.x, c.phiA, c.phiR, c.override].every((col) => col.length === c.ids.length), {
    message: 'calibration columns differ in length',
  });

const Disagreement = z.strictObject({
  problemId: Id,
  responseId: Id,
  correct: z.boolean(),
  minScore: z.number(),
  minStepIndex: Count.nullable(),
});
const Score = z.number().nullable();

const RewardDebugPayload = z.strictObject({
  tauLow: Unit,
  tauHigh: Unit,
  correctLow: z.array(Disagreement),
  incorrectHigh: z.array(Disagreement),
  invertedPairs: z.array(
    z.strictObject({
      problemId: Id,
      chosenId: Id,
      rejectedId: Id,
      chosenMin: Score,
      rejectedMin: Score,
      chosenReward: Score,
      rejectedReward: Score,
      byPrm: z.boolean(),
      byReward: z.boolean(),
      chosenMinStepIndex: Count.nullable(),
    }),
  ),
  pairsChecked: Count,
  perProblem: z.array(z.strictObject({ problemId: Id, auroc: Unit, correct: Count, incorrect: Count })),
  runAuroc: Unit.nullable(),
  meanProblemAuroc: Unit.nullable(),
  totals: z.strictObject({ correctLow: Count, incorrectHigh: Count, invertedPairs: Count, perProblem: Count }),
});

const EstimationPayload = z.strictObject({
  presample: Count,
  compared: Count,
  agreeing: Count,
  agreement: Unit.nullable(),
  labels: z.array(Label),
  matrix: z.array(z.array(Count)),
  disagreements: z.array(z.strictObject({ problemId: Id, early: Label, full: Label, responses: Count })),
});

const Spend = { responses: Count, promptTokens: Count, completionTokens: Count, cost: z.number().nonnegative() };
const SpendPayload = z.strictObject(Spend);
const StagePayload = z.strictObject({ ...Spend, latencyMs: z.number().nonnegative(), wallMs: z.number().nonnegative().nullable(), truncated: Count });

const BudgetPayload = z.strictObject({
  problems: Count,
  planned: z.strictObject({ total: Count, pre: Count }),
  total: SpendPayload,
  byStage: z.strictObject({ pre: StagePayload, re: StagePayload }),
  byLabel: z.strictObject({ inlier: SpendPayload, outlier: SpendPayload, boundary: SpendPayload, unlabelled: SpendPayload }),
  failures: z.array(z.strictObject({ endpoint: z.enum(['policy', 'prm', 'reward']), requests: Count, failed: Count, recovered: Count })),
  pricesSet: z.boolean(),
});

const RoundsPayload = z.strictObject({
  previousRound: Count,
  currentRound: Count,
  labels: z.array(AnyLabel),
  matrix: z.array(z.array(Count)),
  moved: z.array(z.strictObject({ problemId: Id, from: AnyLabel, to: AnyLabel })),
  onlyPrevious: Count,
  onlyCurrent: Count,
});

const FirstErrorScore = z.strictObject({ threshold: Unit, erroneousAccuracy: Unit.nullable(), correctAccuracy: Unit.nullable(), f1: Unit.nullable() });
const StepRow = z.strictObject({
  problemId: Id,
  responseId: Id,
  step: Count,
  rating: StepRatingValue,
  score: z.number(),
  note: z.string(),
});
const AuditReason = z.enum(['prm-missed-error', 'prm-flags-correct', 'boundary', 'other']);
const StepAuditPayload = z.strictObject({
  prm: z.strictObject({
    responses: Count,
    erroneous: Count,
    correct: Count,
    skipped: z.strictObject({ incomplete: Count, badProblem: Count, unscored: Count }),
    at: FirstErrorScore,
    best: FirstErrorScore.nullable(),
    steps: z.strictObject({ total: Count, negative: Count }),
    stepAuroc: Unit.nullable(),
    negativeHigh: z.array(StepRow),
    positiveLow: z.array(StepRow),
  }),
  queue: z.strictObject({
    threshold: Unit,
    items: z.array(
      z.strictObject({
        problemId: Id,
        responseId: Id,
        reason: AuditReason,
        correct: z.boolean(),
        minScore: z.number(),
        minStepIndex: Count.nullable(),
        steps: Count,
        priority: z.number(),
        cumulativeSteps: Count,
      }),
    ),
    totals: z.strictObject({ 'prm-missed-error': Count, 'prm-flags-correct': Count, boundary: Count, other: Count }),
  }),
});

const AgreementPayload = z.strictObject({
  annotators: z.array(z.string()),
  pairs: z.array(z.strictObject({ a: z.string(), b: z.string(), items: Count, observed: Unit, kappa: z.number().min(-1).max(1).nullable() })),
  alpha: z.number().max(1).nullable(),
  units: Count,
  conflicts: z.array(Id),
});

export const InsightsPayload = z.strictObject({
  runRound: Count,
  calibration: CalibrationPayload,
  rewardDebug: RewardDebugPayload,
  estimation: EstimationPayload,
  budget: BudgetPayload,
  rounds: RoundsPayload.nullable(),
  roundsNote: z.string().nullable(),
  stepAudit: StepAuditPayload,
  agreement: AgreementPayload,
});
export type InsightsPayload = z.infer<typeof InsightsPayload>;

export const HostMessage = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('render'), payload: InsightsPayload }),
  /** The thresholds now in force (after Apply, or changed elsewhere). */
  z.strictObject({ kind: z.literal('reply'), seq: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('error'), seq: z.number().int().nonnegative().nullable(), message: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export function parseInsightsRequest(raw: unknown): Parsed<InsightsRequest> {
  return parseMessage(InsightsRequest, raw);
}

export function parseInsightsHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseMessage(HostMessage, raw);
}

/** Compile-time check: what the core computes is what the schema accepts. */
export function toPayload(data: InsightsData): InsightsPayload {
  return data;
}
