import type { CuratorEvent, StepLabelEntry } from '../schema/index';
import type { ProblemState } from '../state/run-state';

/** What a curator asked to record for one response (from the inspector or `hsstar label-steps`). */
export interface RateStepsRequest {
  problemId: string;
  responseId: string;
  steps: StepLabelEntry[];
  badProblem?: boolean;
}

export type StepLabelsEvent = Extract<CuratorEvent, { type: 'step-labels' }>;

/** A request checked against the response it names (every step index must exist), as the event to append. */
export function stepLabelsEvent(
  intent: RateStepsRequest,
  p: ProblemState,
  stamp: { id: string; at: string; author: string },
): { ok: true; event: StepLabelsEvent } | { ok: false; error: string } {
  const view = p.responses.find((r) => r.response.id === intent.responseId);
  if (!view) return { ok: false, error: `No response ${intent.responseId} in ${p.problem.id}.` };
  const count = view.steps.length;
  const seen = new Set<number>();
  for (const s of intent.steps) {
    if (s.step >= count) return { ok: false, error: `Response ${view.response.id} has ${count} steps; there is no step ${s.step + 1}.` };
    if (seen.has(s.step)) return { ok: false, error: `Step ${s.step + 1} is rated twice in one edit.` };
    if (s.note.length > 2_000) return { ok: false, error: `The note on step ${s.step + 1} is ${s.note.length} characters; at most 2000 are kept.` };
    seen.add(s.step);
  }
  if (intent.steps.length === 0 && intent.badProblem === undefined) return { ok: false, error: 'Nothing to rate: give at least one step or a flag.' };
  const event: StepLabelsEvent = {
    ...stamp,
    type: 'step-labels',
    problemId: p.problem.id,
    responseId: view.response.id,
    steps: intent.steps.map((s) => ({ step: s.step, rating: s.rating, note: s.note.trim(), unsure: s.unsure })),
    ...(intent.badProblem === undefined ? {} : { badProblem: intent.badProblem }),
  };
  return { ok: true, event };
}

const RATING_TEXT = { '1': '+1', '0': '0', '-1': '−1' } as const;

/** "step 3 −1", "steps 1–4 rated", "flagged bad problem" — a short line for the log. */
export function describeStepLabels(e: StepLabelsEvent): string {
  const parts: string[] = [];
  if (e.steps.length === 1) {
    const s = e.steps[0]!;
    parts.push(`step ${s.step + 1} ${s.rating === null ? 'cleared' : RATING_TEXT[String(s.rating) as keyof typeof RATING_TEXT]}${s.unsure ? ' (unsure)' : ''}${s.note ? ` — ${s.note}` : ''}`);
  } else if (e.steps.length > 1) {
    parts.push(`${e.steps.length} steps rated (${e.steps.map((s) => (s.rating === null ? '·' : RATING_TEXT[String(s.rating) as keyof typeof RATING_TEXT])).join(',')})`);
  }
  if (e.badProblem !== undefined) parts.push(e.badProblem ? 'flagged bad problem statement' : 'bad-problem flag removed');
  return parts.join('; ');
}
