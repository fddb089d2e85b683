import * as vscode from 'vscode';
import { join } from 'node:path';
import { isStepwiseFormat, STEPWISE_FORMATS, type StepwiseFormat } from '../core/export/stepwise/stepwise-formats';
import { NEUTRAL_RULES, type NeutralRule } from '../core/export/stepwise/trl-stepwise';
import { usableResponses } from '../core/step-labels/labelled-responses';
import { exportStepLabels, type StepExportResult } from '../pipeline/export-steps';
import type { Ctx } from './ctx';
import { askJsonlTarget } from './jsonl-save-dialog';

const FORMAT_DETAIL: Record<StepwiseFormat, string> = {
  'trl-stepwise': "TRL PRMTrainer, stepwise supervision: prompt / completions / labels (booleans)",
  prm800k: 'PRM800K layout: ratings -1 / 0 / 1, finish_reason, bad-problem labellings kept',
};

/**
 * `('hsstar.exportStepLabels', format?, out?, force?, neutralAs?)`: the human step labels in a
 * stepwise format, as `hsstar export --format trl-stepwise|prm800k` writes them. Asks for
 * what is missing; a given `out` is not replaced unless `force`.
 */
export async function exportStepLabelsCommand(ctx: Ctx, formatArg: unknown, outArg: unknown, forceArg: unknown, neutralArg: unknown): Promise<StepExportResult | undefined> {
  const state = ctx.session.state;
  const dir = ctx.session.dir;
  if (!state || !dir) {
    void vscode.window.showWarningMessage('No HS-STaR run is open.');
    return undefined;
  }
  try {
    let format: StepwiseFormat | undefined;
    if (typeof formatArg === 'string') {
      if (!isStepwiseFormat(formatArg)) throw new Error(`Unknown step-label format ${formatArg}; choose one of ${STEPWISE_FORMATS.join(', ')}.`);
      format = formatArg;
    } else {
      const pick = await vscode.window.showQuickPick(
        STEPWISE_FORMATS.map((f) => ({ label: f, detail: FORMAT_DETAIL[f] })),
        { title: 'HS-STaR: step-label export format', ignoreFocusOut: true },
      );
      format = pick?.label;
    }
    if (!format) return undefined;
    const neutral = neutralArg === undefined ? 'true' : String(neutralArg);
    if (!(NEUTRAL_RULES as readonly string[]).includes(neutral)) throw new Error(`neutralAs must be one of ${NEUTRAL_RULES.join(', ')} (got ${neutral}).`);
    if (format === 'trl-stepwise' && usableResponses(state).length === 0) {
      throw new Error('Nothing to export: no response has finished step labels (a first −1, or every step rated).');
    }
    let out = typeof outArg === 'string' ? outArg : undefined;
    if (!out) {
      out = await askJsonlTarget('HS-STaR: step-label export file', join(dir, 'exports', `steps-${format}.jsonl`));
      if (!out) return undefined;
    }
    // The save dialog already asked before replacing a file.
    const result = await exportStepLabels(state, { format, out, neutral: neutral as NeutralRule, force: forceArg === true || typeof outArg !== 'string' });
    ctx.log.info(`exported ${result.manifest.responses} labelled responses to ${result.file}`);
    void vscode.window.showInformationMessage(`Exported ${result.manifest.responses} labelled responses (${result.manifest.steps.total} steps) to ${result.file}`);
    return result;
  } catch (err) {
    ctx.fail(err);
    return undefined;
  }
}
