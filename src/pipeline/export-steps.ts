import { basename } from 'node:path';
import { UserError } from '../core/errors';
import { buildStepwiseManifest, type StepwiseManifest } from '../core/export/stepwise/stepwise-manifest';
import { keepsBadProblems, renderStepwise, type StepwiseFormat } from '../core/export/stepwise/stepwise-formats';
import { stepRows } from '../core/export/stepwise/step-rows';
import type { NeutralRule } from '../core/export/stepwise/trl-stepwise';
import type { RunState } from '../core/state/run-state';
import { manifestPathOf, settingsHash } from './export-run';
import { makeFolderFor, refuseOverwrite, writeOutputFile } from './output-file';

export interface StepExportOptions {
  format: StepwiseFormat;
  out: string;
  neutral: NeutralRule;
  force?: boolean;
  now?: () => string;
}

export interface StepExportResult {
  file: string;
  manifestFile: string;
  manifest: StepwiseManifest;
}

/** Writes the human step labels in a stepwise format and its manifest; existing files stay unless `force`. */
export async function exportStepLabels(state: RunState, o: StepExportOptions): Promise<StepExportResult> {
  const set = stepRows(state, keepsBadProblems(o.format));
  const rendered = renderStepwise(o.format, set.rows, basename(o.out), o.neutral);
  const manifestFile = manifestPathOf(o.out);
  await refuseOverwrite([o.out, manifestFile], o.force);
  const manifest = buildStepwiseManifest(state, set, {
    format: o.format,
    file: basename(o.out),
    createdAt: o.now ? o.now() : new Date().toISOString(),
    settingsHash: settingsHash(state.settings),
    usage: rendered.usage,
    neutral: o.neutral,
  });
  await makeFolderFor(o.out);
  await writeOutputFile(o.out, rendered.content);
  await writeOutputFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { file: o.out, manifestFile, manifest };
}
