import { isTruncated } from '../core/schema/index';
import type { ProblemState, ResponseView, RunState } from '../core/state/run-state';
import type { InspectorFocus, InspectorPayload, PairPayload, ResponsePayload } from '../protocol';
import type { TreeModel } from './tree-model';
import { stepLabelsOf, type ResponseStepLabels } from '../core/step-labels/step-labels';
import { stepAuditView } from './step-audit-view';
import { leadsOf } from '../core/team/label-resolution';

/** Everything the inspector shows for one problem, as plain data the webview renders. */
export interface PayloadContext {
  state: RunState;
  tree: TreeModel;
  compare: [string, string] | null;
  canUndo: boolean;
  runsEnabled: boolean;
  /** The run folder's GUIDELINES.md, if it has one. */
  guidelines?: string | null;
}

export function buildInspectorPayload(problemId: string, ctx: PayloadContext): InspectorPayload | null {
  const p = ctx.state.byId.get(problemId);
  if (!p) return null;
  const pos = ctx.tree.positionOf(problemId);
  const ids = new Set(p.responses.map((r) => r.response.id));
  const stepLabels = stepLabelsOf(ctx.state.events);
  const compare = ctx.compare && ids.has(ctx.compare[0]) && ids.has(ctx.compare[1]) ? ctx.compare : null;
  return {
    problem: {
      id: p.problem.id,
      question: p.problem.question,
      answer: p.problem.answer,
      source: `${p.problem.source.file}:${p.problem.source.line}`,
    },
    phiA: p.phiA,
    phiR: p.phiR,
    label: {
      effective: p.effective,
      derived: p.label.derived,
      source: p.label.override ? 'override' : 'derived',
      override: p.label.override
        ? { label: p.label.override.label, reason: p.label.override.reason, author: p.label.override.author, at: p.label.override.at }
        : null,
    },
    reviewed: p.reviewed,
    thresholds: { tauLow: ctx.state.thresholds.tauLow, tauHigh: ctx.state.thresholds.tauHigh },
    presample: ctx.state.settings.budget.presample,
    prm: ctx.state.settings.prm.protocol === 'none' ? null : { model: ctx.state.settings.prm.model, onePerResponse: oneScorePerResponse(p.responses) },
    responses: [...p.responses].sort((a, b) => a.response.slot - b.response.slot).map((v) => responsePayload(v, stepLabels.get(v.response.id))),
    pairs: p.pairs.map(pairPayload),
    compare,
    team: teamPayload(p, ctx.state),
    guidelines: ctx.guidelines ?? null,
    nav: { group: pos?.group ?? p.effective, index: Math.max(0, pos?.index ?? 0), total: pos?.total ?? 0 },
    canUndo: ctx.canUndo,
    runsEnabled: ctx.runsEnabled,
  };
}

/**
 * The focus kept only when it names one of the payload's responses; a step index past that
 * response's steps is dropped (the response is still focused), so the page never looks for
 * a step that is not there.
 */
export function focusWithin(payload: InspectorPayload, focus: InspectorFocus | null): InspectorFocus | null {
  if (!focus) return null;
  const r = payload.responses.find((x) => x.id === focus.responseId);
  if (!r) return null;
  const step = focus.stepIndex !== null && focus.stepIndex < r.steps.length ? focus.stepIndex : null;
  return { responseId: r.id, stepIndex: step };
}

/**
 * True when the responses' step scores are one score per response: at least one scored
 * response has several steps, and each such response has the same score on all of them.
 * A PRM scoring steps on their own never does this; an outcome score repeated on every step does.
 */
export function oneScorePerResponse(responses: readonly ResponseView[]): boolean {
  let multiStep = 0;
  for (const v of responses) {
    const scores = v.stepScores;
    if (!scores || scores.length < 2) continue;
    if (scores.some((s) => s !== scores[0])) return false;
    multiStep++;
  }
  return multiStep > 0;
}

function teamPayload(p: ProblemState, state: RunState): InspectorPayload['team'] {
  if (!p.team) return null;
  const leads = leadsOf(state.events);
  const t = p.team;
  return {
    kind: t.kind,
    settledBy: t.kind === 'lead' || t.kind === 'resolution' ? t.by!.author : null,
    decisions: t.decisions.map((d) => ({ author: d.author, label: d.label, reason: d.reason, at: d.at, lead: leads.has(d.author) })),
  };
}

function finiteOrNull(n: number | null | undefined): number | null {
  return n === null || n === undefined || !Number.isFinite(n) ? null : n;
}

export function responsePayload(v: ResponseView, labels?: ResponseStepLabels): ResponsePayload {
  const r = v.response;
  const scores = v.stepScores;
  return {
    id: r.id,
    slot: r.slot,
    stage: r.stage,
    steps: v.steps.map((text, i) => ({ text, score: finiteOrNull(scores?.[i]) })),
    minScore: finiteOrNull(v.minScore),
    minStepIndex: v.minStepIndex,
    extracted: v.grade?.extracted ?? null,
    method: v.grade?.method ?? null,
    correct: v.grade ? v.grade.correct : null,
    finishReason: r.finishReason,
    truncated: isTruncated(r),
    promptTokens: r.usage.prompt,
    completionTokens: r.usage.completion,
    model: r.model,
    reward: finiteOrNull(v.reward),
    stepAudit: labels ? stepAuditView(v, labels) : null,
  };
}

function pairPayload(p: ProblemState['pairs'][number]): PairPayload {
  return {
    chosenId: p.chosenId,
    rejectedId: p.rejectedId,
    chosenScore: finiteOrNull(p.chosenScore),
    rejectedScore: finiteOrNull(p.rejectedScore),
    origin: p.origin,
    pinned: p.pinned,
  };
}
