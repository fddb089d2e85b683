import type { EffectiveLabel } from '../core/schema/index';
import type { ProblemState, RunState } from '../core/state/run-state';
import { formatScore, labelName, shortText } from './format';

/**
 * The Questions tree without VS Code: groups, counts, the review badge, sort, filter and
 * paged children. Building it is one pass over the problems; a group's members are sorted
 * only when that group is first expanded, so 50,000 problems stay cheap.
 */

/** A label group, or `conflict`: problems whose annotators disagree and nobody settled (shown first, the team's to-do). */
export type GroupId = EffectiveLabel | 'conflict';
export const GROUP_ORDER: readonly GroupId[] = ['conflict', 'boundary', 'inlier', 'outlier', 'unlabelled'];

/** The group a problem is listed in: its label's, unless its annotators are in conflict. */
export function groupOf(p: ProblemState): GroupId {
  return p.team?.kind === 'conflict' ? 'conflict' : p.effective;
}

function groupName(group: GroupId): string {
  return group === 'conflict' ? 'Conflict' : labelName(group);
}

export type SortKey = 'phiA' | 'phiR' | 'id';
export const SORT_KEYS: readonly SortKey[] = ['phiA', 'phiR', 'id'];

export interface TreeOptions {
  sort: SortKey;
  descending: boolean;
  /** Case-insensitive text matched against the id and the question; empty shows all. */
  filter: string;
}

export const DEFAULT_TREE_OPTIONS: TreeOptions = { sort: 'id', descending: false, filter: '' };

export interface GroupNode {
  kind: 'group';
  group: GroupId;
  label: string;
  /** Problems in the group that pass the filter. */
  count: number;
  awaitingReview: number;
  description: string;
}

export type ProblemIcon = 'override' | 'reviewed' | 'problem';

export interface ProblemNode {
  kind: 'problem';
  problemId: string;
  group: GroupId;
  label: string;
  description: string;
  icon: ProblemIcon;
  /** Menus key on this: `problem` or `problem-reviewed`. */
  contextValue: string;
}

export interface ProblemTooltip {
  heading: string;
  facts: Array<[string, string]>;
  /** Untrusted dataset text: the UI must render it as plain text. */
  question: string;
}

export interface MoreNode {
  kind: 'more';
  group: GroupId;
  shown: number;
  remaining: number;
}

export type TreeNode = GroupNode | ProblemNode | MoreNode;

/** A problem needs review while it sits in Boundary (the audited group) and nobody marked it. */
export function awaitsReview(p: ProblemState): boolean {
  return p.effective === 'boundary' && !p.reviewed;
}

function matches(p: ProblemState, needle: string): boolean {
  if (!needle) return true;
  return p.problem.id.toLowerCase().includes(needle) || p.problem.question.toLowerCase().includes(needle);
}

export class TreeModel {
  /** Each group's members as indices into `state.problems` (dataset order until sorted). */
  private readonly members = new Map<GroupId, number[]>();
  private readonly sorted = new Map<GroupId, number[]>();
  private readonly awaiting = new Map<GroupId, number>();
  private indexOfId: Map<string, number> | null = null;
  /** Problems in conflict, filter or not (the label groups' totals come from the state's counts). */
  private readonly conflicts: number;
  /** Problems awaiting review in the whole run, filter or not: the view badge. */
  readonly badge: number;

  constructor(
    readonly state: RunState,
    readonly options: TreeOptions = DEFAULT_TREE_OPTIONS,
  ) {
    for (const g of GROUP_ORDER) {
      this.members.set(g, []);
      this.awaiting.set(g, 0);
    }
    const needle = options.filter.trim().toLowerCase();
    let badge = 0;
    let conflicts = 0;
    const problems = state.problems;
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i]!;
      const waiting = awaitsReview(p);
      if (waiting) badge++;
      const group = groupOf(p);
      if (group === 'conflict') conflicts++;
      if (!matches(p, needle)) continue;
      this.members.get(group)!.push(i);
      if (waiting) this.awaiting.set(group, this.awaiting.get(group)! + 1);
    }
    this.badge = badge;
    this.conflicts = conflicts;
  }

  /** Boundary, Inlier, Outlier always; Unlabelled only while some problem has no label, Conflict while some has one. */
  roots(): GroupNode[] {
    return GROUP_ORDER.filter((g) => (g === 'unlabelled' ? this.state.counts.unlabelled > 0 : g === 'conflict' ? this.conflicts > 0 : true)).map((g) =>
      this.groupNode(g),
    );
  }

  groupNode(group: GroupId): GroupNode {
    const count = this.members.get(group)!.length;
    const awaitingReview = this.awaiting.get(group)!;
    // Conflicts are listed apart but still count in their label (the one in force for the plan).
    const total = group === 'conflict' ? this.conflicts : this.state.counts[group] - (this.conflictsIn(group));
    const counted = count === total ? `${count}` : `${count} of ${total}`;
    return {
      kind: 'group',
      group,
      label: groupName(group),
      count,
      awaitingReview,
      description: awaitingReview > 0 ? `${counted} · ${awaitingReview} to review` : counted,
    };
  }

  /** The first `limit` problems of a group in the chosen order, then a "more" node when some are left. */
  children(group: GroupId, limit: number): Array<ProblemNode | MoreNode> {
    const list = this.sortedMembers(group);
    const shown = Math.min(limit, list.length);
    const nodes: Array<ProblemNode | MoreNode> = [];
    for (let i = 0; i < shown; i++) nodes.push(problemNode(this.state.problems[list[i]!]!));
    if (shown < list.length) nodes.push({ kind: 'more', group, shown, remaining: list.length - shown });
    return nodes;
  }

  /** Problem ids of a group in display order (for j/k navigation in the inspector). */
  groupIds(group: GroupId): string[] {
    return this.sortedMembers(group).map((i) => this.state.problems[i]!.problem.id);
  }

  /** Where a problem sits in its group's display order; index -1 when the filter hides it. */
  positionOf(problemId: string): { group: GroupId; index: number; total: number } | null {
    const at = this.indexOf(problemId);
    if (at === undefined) return null;
    const group = groupOf(this.state.problems[at]!);
    const list = this.sortedMembers(group);
    return { group, index: list.indexOf(at), total: list.length };
  }

  /** The neighbour of a problem in its group's display order, or null at either end. */
  neighbour(problemId: string, direction: 'next' | 'prev'): string | null {
    const pos = this.positionOf(problemId);
    if (!pos || pos.index < 0) return null;
    const target = this.sortedMembers(pos.group)[pos.index + (direction === 'next' ? 1 : -1)];
    return target === undefined ? null : this.state.problems[target]!.problem.id;
  }

  private conflictsIn(label: EffectiveLabel): number {
    if (this.conflicts === 0) return 0;
    let n = 0;
    for (const p of this.state.problems) if (p.effective === label && groupOf(p) === 'conflict') n++;
    return n;
  }

  private indexOf(problemId: string): number | undefined {
    this.indexOfId ??= new Map(this.state.problems.map((p, i) => [p.problem.id, i]));
    return this.indexOfId.get(problemId);
  }

  /** Sorted on first use: the sort keys go into typed arrays, so 50,000 problems sort in a few ms. */
  private sortedMembers(group: GroupId): number[] {
    const cached = this.sorted.get(group);
    if (cached) return cached;
    const list = this.members.get(group)!.slice();
    const problems = this.state.problems;
    const { sort, descending } = this.options;
    const dir = descending ? -1 : 1;
    if (sort === 'id') {
      const prefix = new Map<number, string>();
      const tail = new Float64Array(problems.length);
      for (const i of list) {
        const [head, n] = naturalKey(problems[i]!.problem.id);
        prefix.set(i, head);
        tail[i] = n;
      }
      list.sort((a, b) => {
        const pa = prefix.get(a)!;
        const pb = prefix.get(b)!;
        const c = pa < pb ? -1 : pa > pb ? 1 : tail[a]! - tail[b]! || compareIds(problems[a]!.problem.id, problems[b]!.problem.id);
        return dir * c || a - b;
      });
    } else {
      const key = new Float64Array(problems.length);
      for (const i of list) {
        const v = problems[i]![sort];
        key[i] = v === null || !Number.isFinite(v) ? Number.NaN : v;
      }
      list.sort((a, b) => {
        const x = key[a]!;
        const y = key[b]!;
        // Unscored problems go last whichever the direction.
        if (x !== x || y !== y) return x !== x && y !== y ? a - b : x !== x ? 1 : -1;
        return dir * (x - y) || a - b;
      });
    }
    this.sorted.set(group, list);
    return list;
  }
}

/** `test/12` → [`test/`, 12]: ids with a numeric tail sort by number. */
function naturalKey(id: string): [string, number] {
  let end = id.length;
  while (end > 0 && id.charCodeAt(end - 1) >= 48 && id.charCodeAt(end - 1) <= 57) end--;
  if (end === id.length || id.length - end > 15) return [id, -1];
  return [id.slice(0, end), Number(id.slice(end))];
}

const collator = new Intl.Collator('en', { numeric: true });

/** Ids such as `test/7` and `test/12` sort as people expect. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b);
}

export function problemNode(p: ProblemState): ProblemNode {
  return {
    kind: 'problem',
    problemId: p.problem.id,
    group: groupOf(p),
    label: shortText(p.problem.question, 80) || p.problem.id,
    description: `acc ${formatScore(p.phiA)} · proc ${formatScore(p.phiR)}`,
    icon: p.label.override !== undefined ? 'override' : p.reviewed ? 'reviewed' : 'problem',
    contextValue: p.reviewed ? 'problem-reviewed' : 'problem',
  };
}

/** The hover text of a problem node; built only when the pointer rests on it. */
export function problemTooltip(p: ProblemState): ProblemTooltip {
  const overridden = p.label.override !== undefined;
  const facts: Array<[string, string]> = [
    ['Id', p.problem.id],
    ['Accuracy φa', formatScore(p.phiA)],
    ['Process score φr', formatScore(p.phiR)],
    ['Responses', String(p.responseCount)],
    ['Pairs', String(p.pairs.length)],
    ['Label', overridden ? `${labelName(p.effective)} (curator override; derived ${labelName(p.label.derived)})` : labelName(p.effective)],
    ['Reviewed', p.reviewed ? 'yes' : 'no'],
  ];
  if (p.label.override) facts.push(['Override reason', p.label.override.reason]);
  if (p.team) facts.push(['Annotators', p.team.decisions.map((d) => `${d.author}: ${labelName(d.label)}`).join(', ') + (p.team.kind === 'conflict' ? ' (conflict)' : '')]);
  return { heading: p.problem.id, facts, question: shortText(p.problem.question, 600) };
}
