import type { EffectiveLabel } from '../core/schema/index';
import type { ProblemState, RunState } from '../core/state/run-state';
import { formatScore, labelName, shortText } from './format';

/**
 * The Questions tree without VS Code: groups, counts, the review badge, sort, filter and
 * paged children. Building it is one pass over the problems; a group's members are sorted
 * only when that group is first expanded, so 50,000 problems stay cheap.
 */

export type GroupId = EffectiveLabel;
export const GROUP_ORDER: readonly GroupId[] = ['boundary', 'inlier', 'outlier', 'unlabelled'];

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
  tooltip: ProblemTooltip;
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
  private readonly members = new Map<GroupId, ProblemState[]>();
  private readonly sorted = new Set<GroupId>();
  private readonly awaiting = new Map<GroupId, number>();
  private readonly order = new Map<string, number>();
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
    state.problems.forEach((p, i) => {
      this.order.set(p.problem.id, i);
      const waiting = awaitsReview(p);
      if (waiting) badge++;
      if (!matches(p, needle)) return;
      this.members.get(p.effective)!.push(p);
      if (waiting) this.awaiting.set(p.effective, this.awaiting.get(p.effective)! + 1);
    });
    this.badge = badge;
  }

  /** Boundary, Inlier, Outlier always; Unlabelled only while some problem has no label. */
  roots(): GroupNode[] {
    return GROUP_ORDER.filter((g) => g !== 'unlabelled' || this.state.counts.unlabelled > 0).map((g) => this.groupNode(g));
  }

  groupNode(group: GroupId): GroupNode {
    const count = this.members.get(group)!.length;
    const awaitingReview = this.awaiting.get(group)!;
    const total = this.state.counts[group];
    const counted = count === total ? `${count}` : `${count} of ${total}`;
    return {
      kind: 'group',
      group,
      label: labelName(group),
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
    for (let i = 0; i < shown; i++) nodes.push(problemNode(list[i]!));
    if (shown < list.length) nodes.push({ kind: 'more', group, shown, remaining: list.length - shown });
    return nodes;
  }

  /** Problem ids of a group in display order (for j/k navigation in the inspector). */
  groupIds(group: GroupId): string[] {
    return this.sortedMembers(group).map((p) => p.problem.id);
  }

  /** Where a problem sits in its group's display order; -1 when filtered out. */
  positionOf(problemId: string): { group: GroupId; index: number; total: number } | null {
    const p = this.state.byId.get(problemId);
    if (!p) return null;
    const list = this.sortedMembers(p.effective);
    return { group: p.effective, index: list.indexOf(p), total: list.length };
  }

  /** The neighbour of a problem in its group's display order, or null at either end. */
  neighbour(problemId: string, direction: 'next' | 'prev'): string | null {
    const pos = this.positionOf(problemId);
    if (!pos || pos.index < 0) return null;
    const list = this.sortedMembers(pos.group);
    const target = list[pos.index + (direction === 'next' ? 1 : -1)];
    return target ? target.problem.id : null;
  }

  private sortedMembers(group: GroupId): ProblemState[] {
    const list = this.members.get(group)!;
    if (!this.sorted.has(group)) {
      list.sort(this.comparator());
      this.sorted.add(group);
    }
    return list;
  }

  private comparator(): (a: ProblemState, b: ProblemState) => number {
    const { sort, descending } = this.options;
    const dir = descending ? -1 : 1;
    const order = this.order;
    const byOrder = (a: ProblemState, b: ProblemState) => order.get(a.problem.id)! - order.get(b.problem.id)!;
    if (sort === 'id') {
      return (a, b) => dir * compareIds(a.problem.id, b.problem.id) || byOrder(a, b);
    }
    const key = sort;
    return (a, b) => {
      const x = a[key];
      const y = b[key];
      // Unscored problems go last whichever the direction.
      if (x === null || y === null) return x === y ? byOrder(a, b) : x === null ? 1 : -1;
      return dir * (x - y) || byOrder(a, b);
    };
  }
}

const collator = new Intl.Collator('en', { numeric: true });

/** Ids such as `test/7` and `test/12` sort as people expect. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b);
}

export function problemNode(p: ProblemState): ProblemNode {
  const overridden = p.label.override !== undefined;
  const acc = formatScore(p.phiA);
  const proc = formatScore(p.phiR);
  const facts: Array<[string, string]> = [
    ['Id', p.problem.id],
    ['Accuracy φa', acc],
    ['Process score φr', proc],
    ['Responses', String(p.responses.length)],
    ['Pairs', String(p.pairs.length)],
    ['Label', overridden ? `${labelName(p.effective)} (curator override; derived ${labelName(p.label.derived)})` : labelName(p.effective)],
    ['Reviewed', p.reviewed ? 'yes' : 'no'],
  ];
  if (p.label.override) facts.push(['Override reason', p.label.override.reason]);
  return {
    kind: 'problem',
    problemId: p.problem.id,
    group: p.effective,
    label: shortText(p.problem.question, 80) || p.problem.id,
    description: `acc ${acc} · proc ${proc}`,
    icon: overridden ? 'override' : p.reviewed ? 'reviewed' : 'problem',
    contextValue: p.reviewed ? 'problem-reviewed' : 'problem',
    tooltip: { heading: p.problem.id, facts, question: shortText(p.problem.question, 600) },
  };
}
