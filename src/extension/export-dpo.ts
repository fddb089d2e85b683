import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { EXPORT_FORMATS, FORMATS, isExportFormat, type ExportFormat } from '../core/export/formats';
import type { RunState } from '../core/state/run-state';
import { exportPairs, type ExportResult } from '../pipeline/export-run';
import { askJsonlTarget } from './jsonl-save-dialog';

export interface ExportInput {
  format?: string;
  out?: string;
  force?: boolean;
}

/** A line saying what the export will hold, shown before anything is written. */
export function exportPreview(state: RunState): string {
  const withPairs = new Set(state.pairs.map((p) => p.problemId)).size;
  const c = state.counts;
  return `${state.pairs.length} pairs from ${withPairs} of ${c.boundary} Boundary problems (Inlier ${c.inlier}, Outlier ${c.outlier}${c.unlabelled ? `, unlabelled ${c.unlabelled}` : ''}).`;
}

/** Export DPO: format picker, a preview of the counts, then the file (and its manifest). */
export async function exportDpo(state: RunState, runDir: string, input: ExportInput): Promise<ExportResult | undefined> {
  let format: ExportFormat | undefined;
  if (input.format !== undefined) {
    if (!isExportFormat(input.format)) throw new Error(`Unknown export format ${input.format}; choose one of ${EXPORT_FORMATS.join(', ')}.`);
    format = input.format;
  } else {
    // Only the formats that give the trainer the prompt this run's policy saw (the CLI's
    // --tokenizer-config, which makes `trl` exact for a chat run, is not asked for here).
    const ctx = { api: state.settings.policy.api, renderPrompt: null, withReward: state.settings.reward.protocol !== 'none' };
    const pick = await vscode.window.showQuickPick(
      EXPORT_FORMATS.filter((f) => FORMATS[f].refusal(ctx) === null).map((f) => ({ label: f, detail: FORMATS[f].detail })),
      { title: 'HS-STaR: export format', ignoreFocusOut: true },
    );
    format = pick?.label;
  }
  if (!format) return undefined;
  if (state.pairs.length === 0) throw new Error(`Nothing to export: ${exportPreview(state)}`);

  let out = input.out;
  if (!out) {
    const go = await vscode.window.showInformationMessage(exportPreview(state), { modal: true }, 'Choose file…');
    if (go !== 'Choose file…') return undefined;
    out = await askJsonlTarget('HS-STaR: export file', join(runDir, 'exports', `pairs-${format}.jsonl`));
    if (!out) return undefined;
  }
  // The save dialog already asked before replacing a file.
  return exportPairs(state, { format, out, force: input.force ?? input.out === undefined, runFolder: basename(runDir) });
}
