import { z } from 'zod';

export const Label = z.enum(['inlier', 'outlier', 'boundary']);
export type Label = z.infer<typeof Label>;

/** A problem's label as shown: derived from its responses unless a curator overrode it. */
export const LabelState = z.object({
  /** `unlabelled` until the problem has graded pre-samples. */
  derived: z.union([Label, z.literal('unlabelled')]),
  override: z
    .object({ label: Label, reason: z.string(), author: z.string(), at: z.string() })
    .optional(),
});
export type LabelState = z.infer<typeof LabelState>;

export type EffectiveLabel = Label | 'unlabelled';
export type LabelSource = 'derived' | 'override';

export function effectiveLabel(state: LabelState): EffectiveLabel {
  return state.override?.label ?? state.derived;
}

export function labelSource(state: LabelState): LabelSource {
  return state.override ? 'override' : 'derived';
}
