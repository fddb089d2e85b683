import { z } from 'zod';
import { Label } from './label';
import { StepLabelEntry } from './step-labels';

const Base = z.object({
  /** Unique event id; undo events point at it. */
  id: z.string().min(1),
  at: z.string(),
  author: z.string(),
});

export const CuratorEvent = z.discriminatedUnion('type', [
  Base.extend({ type: z.literal('label-override'), problemId: z.string(), label: Label, reason: z.string().min(1) }),
  Base.extend({ type: z.literal('label-clear'), problemId: z.string(), reason: z.string().default('') }),
  Base.extend({ type: z.literal('reviewed'), problemId: z.string(), reviewed: z.boolean() }),
  Base.extend({ type: z.literal('pair-drop'), problemId: z.string(), chosenId: z.string(), rejectedId: z.string() }),
  Base.extend({ type: z.literal('pair-swap'), problemId: z.string(), chosenId: z.string(), rejectedId: z.string() }),
  Base.extend({ type: z.literal('pair-add'), problemId: z.string(), chosenId: z.string(), rejectedId: z.string() }),
  Base.extend({ type: z.literal('pair-pin'), problemId: z.string(), chosenId: z.string(), rejectedId: z.string(), pinned: z.boolean() }),
  Base.extend({ type: z.literal('thresholds'), tauLow: z.number().min(0).max(1), tauHigh: z.number().min(0).max(1) }),
  /** Human step ratings of one response; `badProblem` (when given) sets or clears the "bad problem statement" flag. */
  Base.extend({ type: z.literal('step-labels'), problemId: z.string(), responseId: z.string(), steps: z.array(StepLabelEntry), badProblem: z.boolean().optional() }),
  /** Settles a problem's label for the team (e.g. after a conflict), above every annotator's own decision. */
  Base.extend({ type: z.literal('label-resolve'), problemId: z.string(), label: Label, reason: z.string().min(1) }),
  /** Gives `annotator` a role; a `lead`'s latest decision settles a problem's label. */
  Base.extend({ type: z.literal('role'), annotator: z.string().min(1), role: z.enum(['lead', 'annotator']) }),
  /** Undo appends the inverse: the referenced event stops applying. */
  Base.extend({ type: z.literal('undo'), undoes: z.string() }),
]);
export type CuratorEvent = z.infer<typeof CuratorEvent>;
export type CuratorEventType = CuratorEvent['type'];
