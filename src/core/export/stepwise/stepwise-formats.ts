import { prm800kRecord } from './prm800k';
import type { StepRow } from './step-rows';
import { trlStepwiseRecord, type NeutralRule } from './trl-stepwise';

/** Exports of human step labels (one labelled response a line), beside the pair formats. */
export const STEPWISE_FORMATS = ['trl-stepwise', 'prm800k'] as const;
export type StepwiseFormat = (typeof STEPWISE_FORMATS)[number];

export function isStepwiseFormat(name: string): name is StepwiseFormat {
  return (STEPWISE_FORMATS as readonly string[]).includes(name);
}

/** Bad-problem labellings are part of a PRM800K file, never of a training set. */
export function keepsBadProblems(format: StepwiseFormat): boolean {
  return format === 'prm800k';
}

export function renderStepwise(format: StepwiseFormat, rows: readonly StepRow[], fileName: string, neutral: NeutralRule): { content: string; usage: string } {
  if (format === 'trl-stepwise') {
    return {
      content: rows.map((r) => JSON.stringify(trlStepwiseRecord(r, neutral)) + '\n').join(''),
      usage: `datasets.load_dataset("json", data_files="${fileName}") then trl's PRMTrainer (stepwise supervision: prompt, completions, labels)`,
    };
  }
  return {
    content: rows.map((r) => JSON.stringify(prm800kRecord(r)) + '\n').join(''),
    usage: `one PRM800K-style labelled solution a line (label.steps[i].completions[0].rating in -1, 0, 1)`,
  };
}
