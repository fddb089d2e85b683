import type { CuratorEvent } from '../core/schema/index';
import { pairKey } from '../core/schema/index';
import type { RunState } from '../core/state/run-state';
import type { Intent } from '../protocol';
import { describeStepLabels, stepLabelsEvent } from '../core/step-labels/step-labels-event';

/**
 * Turns an edit the curator asked for (from the inspector or a command) into the event
 * appended to the log, after checking it against the current state. Undo is an event too:
 * it names the event it cancels, so nothing is ever rewritten.
 */

export type EditIntent = Exclude<Intent, { type: 'ready' | 'navigate' | 'compare' }>;

export interface EventStamp {
  id: string;
  at: string;
  author: string;
}

export type EditResult = { ok: true; event: CuratorEvent } | { ok: false; error: string };

export function isEditIntent(intent: Intent): intent is EditIntent {
  return intent.type !== 'ready' && intent.type !== 'navigate' && intent.type !== 'compare';
}

/**
 * The newest event that still applies and can be undone (of `author`, when given: with
 * several annotators each undoes their own); undo events themselves are not.
 */
export function lastUndoable(events: readonly CuratorEvent[], author?: string): CuratorEvent | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'undo' && (author === undefined || e.author === author)) return e;
  }
  return null;
}

export function eventForIntent(intent: EditIntent, state: RunState, stamp: EventStamp): EditResult {
  if (intent.type === 'undo') {
    const target = lastUndoable(state.events, stamp.author);
    return target ? { ok: true, event: { ...stamp, type: 'undo', undoes: target.id } } : { ok: false, error: `Nothing of ${stamp.author} to undo.` };
  }
  if (intent.type === 'set-role') return { ok: true, event: { ...stamp, type: 'role', annotator: intent.annotator.trim(), role: intent.role } };
  const p = state.byId.get(intent.problemId);
  if (!p) return { ok: false, error: `Unknown problem ${intent.problemId}.` };
  switch (intent.type) {
    case 'resolve-label':
      return { ok: true, event: { ...stamp, type: 'label-resolve', problemId: p.problem.id, label: intent.label, reason: intent.reason.trim() } };
    case 'override-label':
      return { ok: true, event: { ...stamp, type: 'label-override', problemId: p.problem.id, label: intent.label, reason: intent.reason.trim() } };
    case 'clear-override':
      if (!p.label.override && !p.team?.decisions.some((d) => d.author === stamp.author)) return { ok: false, error: `${p.problem.id} has no curator override to clear.` };
      return { ok: true, event: { ...stamp, type: 'label-clear', problemId: p.problem.id, reason: intent.reason } };
    case 'mark-reviewed':
      return { ok: true, event: { ...stamp, type: 'reviewed', problemId: p.problem.id, reviewed: intent.reviewed } };
    case 'pair-swap':
    case 'pair-drop':
    case 'pair-pin': {
      const key = pairKey(intent);
      const pair = p.pairs.find((x) => pairKey(x) === key);
      if (!pair) return { ok: false, error: `No pair ${key} in ${p.problem.id}.` };
      const ref = { problemId: p.problem.id, chosenId: intent.chosenId, rejectedId: intent.rejectedId };
      if (intent.type === 'pair-pin') return { ok: true, event: { ...stamp, type: 'pair-pin', ...ref, pinned: intent.pinned } };
      return { ok: true, event: { ...stamp, type: intent.type, ...ref } };
    }
    case 'rate-steps':
      return stepLabelsEvent(intent, p, stamp);
    case 'pair-add': {
      if (intent.chosenId === intent.rejectedId) return { ok: false, error: 'A pair needs two different responses.' };
      const ids = new Set(p.responses.map((r) => r.response.id));
      for (const id of [intent.chosenId, intent.rejectedId]) {
        if (!ids.has(id)) return { ok: false, error: `No response ${id} in ${p.problem.id}.` };
      }
      if (p.pairs.some((x) => pairKey(x) === pairKey(intent))) return { ok: false, error: 'That pair already exists.' };
      return { ok: true, event: { ...stamp, type: 'pair-add', problemId: p.problem.id, chosenId: intent.chosenId, rejectedId: intent.rejectedId } };
    }
  }
}

/** A short line for the log and notifications. */
export function describeEvent(e: CuratorEvent): string {
  switch (e.type) {
    case 'label-override':
      return `${e.problemId}: label set to ${e.label} (${e.reason})`;
    case 'label-clear':
      return `${e.problemId}: override cleared`;
    case 'reviewed':
      return `${e.problemId}: ${e.reviewed ? 'marked reviewed' : 'review mark removed'}`;
    case 'pair-drop':
    case 'pair-swap':
    case 'pair-add':
      return `${e.problemId}: ${e.type.slice(5)} pair ${e.chosenId} > ${e.rejectedId}`;
    case 'pair-pin':
      return `${e.problemId}: ${e.pinned ? 'pinned' : 'unpinned'} pair ${e.chosenId} > ${e.rejectedId}`;
    case 'step-labels':
      return `${e.responseId}: ${describeStepLabels(e)}`;
    case 'thresholds':
      return `thresholds set to tau_l ${e.tauLow}, tau_h ${e.tauHigh}`;
    case 'label-resolve':
      return `${e.problemId}: resolved as ${e.label} (${e.reason})`;
    case 'role':
      return `${e.annotator} is ${e.role === 'lead' ? 'a lead' : 'an annotator'}`;
    case 'undo':
      return `undid ${e.undoes}`;
  }
}
