import type { StepRatingValue } from '../../schema/index';
import type { StepRow } from './step-rows';

/** How a neutral (0) step becomes one of TRL's boolean labels: 0 means "not wrong", so true unless told otherwise. */
export const NEUTRAL_RULES = ['true', 'false'] as const;
export type NeutralRule = (typeof NEUTRAL_RULES)[number];

export function stepLabel(rating: StepRatingValue, neutral: NeutralRule): boolean {
  return rating === 1 || (rating === 0 && neutral === 'true');
}

/**
 * TRL's stepwise supervision format, the one its PRMTrainer reads: `prompt` a string,
 * `completions` the steps in order, `labels` one boolean per step (same length).
 */
export function trlStepwiseRecord(row: StepRow, neutral: NeutralRule): { prompt: string; completions: string[]; labels: boolean[] } {
  return { prompt: row.prompt, completions: row.rated.map((s) => s.text), labels: row.rated.map((s) => stepLabel(s.rating, neutral)) };
}
