import * as vscode from 'vscode';
import { join } from 'node:path';
import type { BatchStage } from '../core/batch/index';
import { exportBatch, importBatch, type BatchExportResult, type BatchImportResult } from '../pipeline/batch/index';
import type { Ctx } from './ctx';
import { askJsonlTarget } from './jsonl-save-dialog';

/**
 * Batch scale-out from the editor: write a stage's pending requests as an OpenAI Batch input
 * file, and read a batch output file back into the open run (the CLI's `hsstar batch`).
 */
export async function batchExportCommand(ctx: Ctx, stageArg?: unknown, outArg?: unknown): Promise<BatchExportResult | undefined> {
  const project = ctx.session.project;
  if (!project || !ctx.session.dir) {
    void vscode.window.showWarningMessage('No HS-STaR run is open: use “HS-STaR: Open Run” first.');
    return undefined;
  }
  let stage: BatchStage | undefined = stageArg === 'rde' || stageArg === 'resample' ? stageArg : undefined;
  if (!stage) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'rde' as const, detail: 'Stage 1: the missing pre-samples of every problem' },
        { label: 'resample' as const, detail: 'Stage 2: the rest of the budget for the Boundary problems' },
      ],
      { title: 'HS-STaR: which stage to hand to a batch engine', ignoreFocusOut: true },
    );
    stage = pick?.label;
  }
  if (!stage) return undefined;
  let out = typeof outArg === 'string' ? outArg : undefined;
  if (!out) {
    out = await askJsonlTarget('HS-STaR: batch input file', join(ctx.session.dir, `batch-${stage}.jsonl`));
    if (!out) return undefined;
  }
  try {
    // The save dialog already asked before replacing a file.
    const result = await exportBatch(project, { stage, out, force: typeof outArg !== 'string' });
    ctx.log.info(`batch export: ${result.requests} requests for ${result.samples} responses to ${result.out}`);
    void vscode.window.showInformationMessage(`Wrote ${result.requests} requests for ${result.samples} responses to ${result.out}`);
    return result;
  } catch (err) {
    ctx.fail(err);
    return undefined;
  }
}

export async function batchImportCommand(ctx: Ctx, fileArg?: unknown): Promise<BatchImportResult | undefined> {
  const project = ctx.session.project;
  if (!project || !ctx.session.writable) {
    void vscode.window.showWarningMessage('Open a run this window can write to before importing a batch output file.');
    return undefined;
  }
  let file = typeof fileArg === 'string' ? fileArg : undefined;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ title: 'HS-STaR: batch output file', canSelectMany: false, filters: { 'JSON Lines': ['jsonl'] } });
    file = picked?.[0]?.fsPath;
    if (!file) return undefined;
  }
  try {
    const r = await importBatch(project, file);
    ctx.session.refresh();
    const line = `${r.stored} responses stored, ${r.alreadyStored} already stored, ${r.failed} failed requests recorded`;
    ctx.log.info(`batch import ${file}: ${line}`);
    void vscode.window.showInformationMessage(`Batch import: ${line}. Run RDE again to score the new responses.`);
    return r;
  } catch (err) {
    ctx.fail(err);
    return undefined;
  }
}
