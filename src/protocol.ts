import { z } from 'zod';
import { StepLabelEntry, StepRatingValue } from './core/schema/step-labels';

/**
 * The inspector's messages, declared once for both sides. The webview sends intents as
 * requests with a sequence id; the extension owns the data, answers each request with a
 * reply or an error, and posts a fresh render whenever the problem's state changes.
 * Both sides parse what they receive; anything that does not parse is dropped.
 */

const Id = z.string().min(1).max(1_000);
const LabelName = z.enum(['inlier', 'outlier', 'boundary']);
const PairRef = z.strictObject({ problemId: Id, chosenId: Id, rejectedId: Id });

/** What the webview may ask for. Every problem-scoped intent names its problem, so a stale view cannot act on another one. */
export const Intent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('override-label'), problemId: Id, label: LabelName, reason: z.string().trim().min(1).max(2_000) }),
  z.strictObject({ type: z.literal('clear-override'), problemId: Id, reason: z.string().max(2_000).default('') }),
  z.strictObject({ type: z.literal('mark-reviewed'), problemId: Id, reviewed: z.boolean() }),
  PairRef.extend({ type: z.literal('pair-swap') }),
  PairRef.extend({ type: z.literal('pair-drop') }),
  PairRef.extend({ type: z.literal('pair-pin'), pinned: z.boolean() }),
  PairRef.extend({ type: z.literal('pair-add') }),
  z.strictObject({
    type: z.literal('rate-steps'),
    problemId: Id,
    responseId: Id,
    steps: z.array(StepLabelEntry.strict()).max(10_000),
    badProblem: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('resolve-label'), problemId: Id, label: LabelName, reason: z.string().trim().min(1).max(2_000) }),
  z.strictObject({ type: z.literal('set-role'), annotator: z.string().trim().min(1).max(200), role: z.enum(['lead', 'annotator']) }),
  z.strictObject({ type: z.literal('undo') }),
  z.strictObject({ type: z.literal('navigate'), problemId: Id, direction: z.enum(['next', 'prev']) }),
  z.strictObject({ type: z.literal('compare'), problemId: Id, responseIds: z.tuple([Id, Id]).nullable() }),
]);
export type Intent = z.infer<typeof Intent>;
export type IntentType = Intent['type'];

export const WebviewRequest = z.strictObject({
  kind: z.literal('request'),
  /** Sequence number chosen by the webview; the reply carries it back. */
  seq: z.number().int().nonnegative(),
  intent: Intent,
});
export type WebviewRequest = z.infer<typeof WebviewRequest>;

const Score = z.number().nullable();

export const StepView = z.strictObject({
  text: z.string(),
  score: Score,
});
export type StepView = z.infer<typeof StepView>;

/** A human step label as the inspector shows it. */
export const StepLabelView = z.strictObject({
  rating: StepRatingValue.nullable(),
  note: z.string(),
  unsure: z.boolean(),
});
export type StepLabelView = z.infer<typeof StepLabelView>;

/** A response's human step labels: one entry per step (null when unrated), its verdict in words beside the grader's. */
export const StepAuditView = z.strictObject({
  labels: z.array(StepLabelView.nullable()),
  verdict: z.enum(['error', 'correct', 'incomplete']),
  firstError: z.number().int().nonnegative().nullable(),
  badProblem: z.boolean(),
  /** A correct final answer through a wrong step (or the reverse): what an audit is for. */
  finding: z.boolean(),
  text: z.string(),
});
export type StepAuditView = z.infer<typeof StepAuditView>;

export const ResponsePayload = z.strictObject({
  id: Id,
  slot: z.number().int().nonnegative(),
  stage: z.enum(['pre', 're']),
  steps: z.array(StepView),
  minScore: Score,
  minStepIndex: z.number().int().nonnegative().nullable(),
  extracted: z.string().nullable(),
  /** How the answer was found; null before grading. */
  method: z.enum(['box', 'phrase', 'last-number', 'none']).nullable(),
  correct: z.boolean().nullable(),
  finishReason: z.string().nullable(),
  truncated: z.boolean(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  model: z.string(),
  reward: Score,
  /** Null until a curator labels a step. */
  stepAudit: StepAuditView.nullable().default(null),
});
export type ResponsePayload = z.infer<typeof ResponsePayload>;

export const PairPayload = z.strictObject({
  chosenId: Id,
  rejectedId: Id,
  chosenScore: Score,
  rejectedScore: Score,
  origin: z.enum(['auto', 'curator']),
  pinned: z.boolean(),
});
export type PairPayload = z.infer<typeof PairPayload>;

export const InspectorPayload = z.strictObject({
  problem: z.strictObject({
    id: Id,
    question: z.string(),
    answer: z.string(),
    source: z.string(),
  }),
  phiA: Score,
  phiR: Score,
  label: z.strictObject({
    effective: z.enum(['inlier', 'outlier', 'boundary', 'unlabelled']),
    derived: z.enum(['inlier', 'outlier', 'boundary', 'unlabelled']),
    source: z.enum(['derived', 'override']),
    override: z
      .strictObject({ label: LabelName, reason: z.string(), author: z.string(), at: z.string() })
      .nullable(),
  }),
  reviewed: z.boolean(),
  thresholds: z.strictObject({ tauLow: z.number(), tauHigh: z.number() }),
  presample: z.number().int().nonnegative(),
  /**
   * Where the step scores come from; null without a PRM. `onePerResponse`: every scored
   * response of several steps has the same score on all of them (one outcome score given
   * to every step, as in the demo), so the weakest step says nothing.
   */
  prm: z.strictObject({ model: z.string(), onePerResponse: z.boolean() }).nullable(),
  responses: z.array(ResponsePayload),
  pairs: z.array(PairPayload),
  /** The two responses shown side by side, when the curator asked for a compare. */
  compare: z.tuple([Id, Id]).nullable(),
  /** Each annotator's standing decision and how they resolve (docs/curation.md); null when nobody decided. */
  team: z
    .strictObject({
      kind: z.enum(['resolution', 'lead', 'agreement', 'conflict']),
      /** Who settled it (a lead, or the author of the resolution); null for agreement and conflict. */
      settledBy: z.string().nullable(),
      decisions: z.array(z.strictObject({ author: z.string(), label: LabelName, reason: z.string(), at: z.string(), lead: z.boolean() })),
    })
    .nullable(),
  /** The run folder's GUIDELINES.md, shown as plain text; null when there is none. */
  guidelines: z.string().max(200_000).nullable(),
  nav: z.strictObject({
    group: z.enum(['inlier', 'outlier', 'boundary', 'unlabelled', 'conflict']),
    index: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  canUndo: z.boolean(),
  /** False in an untrusted workspace: edits still work, runs do not. */
  runsEnabled: z.boolean(),
});
export type InspectorPayload = z.infer<typeof InspectorPayload>;

/**
 * Where the inspector opens inside a problem: one response, expanded and scrolled to, and
 * optionally one of its steps marked (e.g. the weakest step of a reward-model row). Sent
 * once with the render that opens it; later renders of the same problem carry none.
 */
export const InspectorFocus = z.strictObject({
  responseId: Id,
  stepIndex: z.number().int().nonnegative().nullable().default(null),
});
export type InspectorFocus = z.infer<typeof InspectorFocus>;

/** What the extension posts. */
export const HostMessage = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('render'), payload: InspectorPayload, focus: InspectorFocus.optional() }),
  z.strictObject({ kind: z.literal('empty'), message: z.string() }),
  z.strictObject({ kind: z.literal('reply'), seq: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('error'), seq: z.number().int().nonnegative().nullable(), message: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** State VS Code keeps for a restored panel: only which problem was open. */
export const PanelState = z.strictObject({ problemId: Id.nullable() });
export type PanelState = z.infer<typeof PanelState>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses one message; a failure names the path and reason of its first issue. Both webview protocols use it. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const first = r.error.issues[0];
  const path = first?.path.length ? first.path.join('.') : '(message)';
  return { ok: false, error: `${path}: ${first?.message ?? 'invalid'}` };
}

export function parseWebviewRequest(raw: unknown): Parsed<WebviewRequest> {
  return parseMessage(WebviewRequest, raw);
}

export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseMessage(HostMessage, raw);
}

/** A focus given as a command argument; anything else is refused with its reason. */
export function parseInspectorFocus(raw: unknown): Parsed<InspectorFocus> {
  return parseMessage(InspectorFocus, raw);
}

export function parsePanelState(raw: unknown): PanelState {
  const r = PanelState.safeParse(raw);
  return r.success ? r.data : { problemId: null };
}
