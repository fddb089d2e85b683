import type { CuratorEvent, Label } from '../schema/index';

/**
 * How several annotators' label decisions become one label per problem. Each annotator's
 * decision is their latest `label-override` (a `label-clear` withdraws it). Then, in order:
 * 1. the latest `label-resolve`, or the latest decision of an annotator whose role is
 *    `lead` (roles as the `role` events leave them), whichever came last, settles it;
 * 2. else, when every annotator who decided gave the same label, that label (agreement);
 * 3. else it is a conflict: no curator label applies (the derived one stays in force)
 *    until a lead decides or someone records a resolution.
 */

export interface Decision {
  author: string;
  label: Label;
  reason: string;
  at: string;
  eventId: string;
  /** Place in the merged event order, so "latest" is the same for every reader. */
  seq: number;
}

export type ResolutionKind = 'resolution' | 'lead' | 'agreement' | 'conflict';

export interface ProblemDecisions {
  /** Each annotator's standing decision, in the order they were made. */
  decisions: Decision[];
  kind: ResolutionKind;
  /** The label the team settled on; null for a conflict. */
  label: Label | null;
  /** The decision that settles it (the latest agreeing one for an agreement); null for a conflict. */
  by: (Decision & { resolution: boolean }) | null;
}

/** Annotators whose latest role event made them `lead`. */
export function leadsOf(events: readonly CuratorEvent[]): Set<string> {
  const roles = new Map<string, string>();
  for (const e of events) if (e.type === 'role') roles.set(e.annotator, e.role);
  return new Set([...roles].filter(([, r]) => r === 'lead').map(([a]) => a));
}

/** Every problem some annotator decided on, with its resolution. `events`: active events, merged order. */
export function resolveLabels(events: readonly CuratorEvent[]): Map<string, ProblemDecisions> {
  const leads = leadsOf(events);
  const own = new Map<string, Map<string, Decision>>();
  const resolutions = new Map<string, Decision>();
  events.forEach((e, seq) => {
    if (e.type === 'label-override' || e.type === 'label-resolve') {
      const d: Decision = { author: e.author, label: e.label, reason: e.reason, at: e.at, eventId: e.id, seq };
      if (e.type === 'label-resolve') resolutions.set(e.problemId, d);
      else {
        const byAuthor = own.get(e.problemId) ?? new Map<string, Decision>();
        byAuthor.delete(e.author); // re-inserted: the map keeps decisions in the order they stand
        byAuthor.set(e.author, d);
        own.set(e.problemId, byAuthor);
      }
    } else if (e.type === 'label-clear') {
      own.get(e.problemId)?.delete(e.author);
      // A lead clearing withdraws the team's resolution too.
      if (leads.has(e.author)) resolutions.delete(e.problemId);
    }
  });
  const out = new Map<string, ProblemDecisions>();
  for (const id of new Set([...own.keys(), ...resolutions.keys()])) {
    const decisions = [...(own.get(id)?.values() ?? [])];
    const resolution = resolutions.get(id);
    let settling: (Decision & { resolution: boolean }) | null = resolution ? { ...resolution, resolution: true } : null;
    for (const d of decisions) if (leads.has(d.author) && (!settling || d.seq > settling.seq)) settling = { ...d, resolution: false };
    if (settling) {
      out.set(id, { decisions, kind: settling.resolution ? 'resolution' : 'lead', label: settling.label, by: settling });
      continue;
    }
    if (decisions.length === 0) continue;
    const labels = new Set(decisions.map((d) => d.label));
    if (labels.size === 1) {
      const latest = decisions.reduce((a, b) => (b.seq > a.seq ? b : a));
      out.set(id, { decisions, kind: 'agreement', label: latest.label, by: { ...latest, resolution: false } });
    } else out.set(id, { decisions, kind: 'conflict', label: null, by: null });
  }
  return out;
}
