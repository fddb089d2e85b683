import * as vscode from 'vscode';
import { UsageError } from '../core/errors';
import type { StepLabelEntry } from '../core/schema/index';
import { firstErrorEntries, parseLabelList } from '../core/step-labels/label-list';
import { auditQueue, type AuditItem } from '../core/insights/audit-queue';
import type { EditResult } from '../views/curator-intents';
import type { Ctx } from './ctx';

/** The options of `hsstar.labelSteps` after the labels: what the CLI's flags say. */
interface LabelStepsOptions {
  firstError?: number;
  badProblem?: boolean;
  /** Step (from 1) → note. */
  notes?: Record<string, string>;
}

function entriesOf(labels: unknown, options: LabelStepsOptions): StepLabelEntry[] {
  if (options.firstError !== undefined) return firstErrorEntries(options.firstError);
  if (typeof labels === 'string') return parseLabelList(labels);
  if (Array.isArray(labels)) return parseLabelList(labels.map((l) => (l === null ? '_' : String(l))).join(','));
  return [];
}

/**
 * `('hsstar.labelSteps', responseId, labels, { firstError?, badProblem?, notes? })`: records
 * step ratings as `hsstar label-steps` does, with `labels` as `"1,1,-1"` or `[1, 1, -1]`.
 * Without a response it asks for one of the problem in the inspector; without labels, for
 * the list. Returns the edit's `{ ok, error? }`.
 */
export async function labelStepsCommand(ctx: Ctx, responseArg: unknown, labelsArg: unknown, optionsArg: unknown): Promise<EditResult | undefined> {
  const state = ctx.session.state;
  if (!state) {
    void vscode.window.showWarningMessage('No HS-STaR run is open.');
    return undefined;
  }
  let responseId = typeof responseArg === 'string' ? responseArg : undefined;
  if (!responseId) {
    const problem = ctx.inspector.currentProblem ? state.byId.get(ctx.inspector.currentProblem) : undefined;
    if (!problem) {
      void vscode.window.showWarningMessage('Open a problem in the inspector first, or pass a response id.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      problem.responses.map((r) => ({ label: r.response.id, description: `${r.steps.length} steps${r.grade ? (r.grade.correct ? ', correct' : ', incorrect') : ''}` })),
      { title: `HS-STaR: label the steps of which response of ${problem.problem.id}?` },
    );
    responseId = pick?.label;
    if (!responseId) return undefined;
  }
  const problem = state.problems.find((p) => p.responses.some((r) => r.response.id === responseId));
  if (!problem) return report({ ok: false, error: `No response ${responseId} in this run.` });
  const options = (optionsArg && typeof optionsArg === 'object' ? optionsArg : {}) as LabelStepsOptions;
  let labels = labelsArg;
  if (labels === undefined && options.firstError === undefined && options.badProblem === undefined && !options.notes) {
    labels = await vscode.window.showInputBox({
      title: `HS-STaR: step labels of ${responseId}`,
      prompt: 'One per step from step 1: 1 correct, 0 neutral, -1 wrong, ? unsure, _ leave as it is (e.g. 1,1,-1)',
      validateInput: (v) => {
        try {
          parseLabelList(v);
          return null;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (labels === undefined) return undefined;
  }
  let steps: StepLabelEntry[];
  try {
    steps = entriesOf(labels, options);
  } catch (err) {
    if (err instanceof UsageError) return report({ ok: false, error: err.message });
    throw err;
  }
  for (const [k, note] of Object.entries(options.notes ?? {})) {
    const step = Number(k) - 1;
    const entry = steps.find((s) => s.step === step);
    if (entry) entry.note = note;
    else return report({ ok: false, error: `A note for step ${k} needs a rating for it in the same call.` });
  }
  const result = await ctx.session.edit({
    type: 'rate-steps',
    problemId: problem.problem.id,
    responseId,
    steps,
    ...(options.badProblem === undefined ? {} : { badProblem: options.badProblem }),
  });
  return report(result);
}

function report(result: EditResult): EditResult {
  if (!result.ok) void vscode.window.showErrorMessage(result.error);
  return result;
}

/**
 * `hsstar.auditNext`: opens the inspector at the head of the steps-to-audit queue (the
 * response, at its weakest step), so a curator can press `s` and rate. Returns the item.
 */
export function auditNextCommand(ctx: Ctx): AuditItem | undefined {
  const state = ctx.session.state;
  if (!state) {
    void vscode.window.showWarningMessage('No HS-STaR run is open.');
    return undefined;
  }
  const next = auditQueue(state, 0.5, 1).items[0];
  if (!next) {
    void vscode.window.showInformationMessage('Nothing left to audit: every graded, PRM-scored response has finished step labels.');
    return undefined;
  }
  ctx.inspector.show(next.problemId, { responseId: next.responseId, stepIndex: next.minStepIndex });
  void ctx.tree.reveal(next.problemId);
  return next;
}
