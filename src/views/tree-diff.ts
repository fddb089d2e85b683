import type { ProblemState } from '../core/state/run-state';
import { groupOf, type GroupId, type TreeModel } from './tree-model';

/**
 * Which parts of the tree a new run state changes, so the view refreshes only those group
 * nodes (and their children) instead of rebuilding 50,000 items after every edit.
 */
export interface TreeChange {
  /** The set of root nodes or the sort/filter changed: refresh everything. */
  full: boolean;
  /** Group nodes whose description or children changed. */
  groups: GroupId[];
  /** The view badge (problems awaiting review) changed. */
  badge: boolean;
}

/** Everything a problem's tree row shows; equal means an identical row in the same place. */
function sameRow(a: ProblemState, b: ProblemState): boolean {
  return (
    a.effective === b.effective &&
    groupOf(a) === groupOf(b) &&
    a.team?.decisions.length === b.team?.decisions.length &&
    a.phiA === b.phiA &&
    a.phiR === b.phiR &&
    a.reviewed === b.reviewed &&
    a.label.override?.label === b.label.override?.label &&
    a.label.override?.reason === b.label.override?.reason &&
    a.responseCount === b.responseCount &&
    a.pairs.length === b.pairs.length
  );
}

export function diffTrees(prev: TreeModel, next: TreeModel): TreeChange {
  const badge = prev.badge !== next.badge;
  const sameOptions =
    prev.options.sort === next.options.sort &&
    prev.options.descending === next.options.descending &&
    prev.options.filter.trim().toLowerCase() === next.options.filter.trim().toLowerCase();
  const prevRoots = prev.roots().map((g) => g.group).join(',');
  const nextRoots = next.roots().map((g) => g.group).join(',');
  if (!sameOptions || prevRoots !== nextRoots) return { full: true, groups: [], badge };

  const changed = new Set<GroupId>();
  const before = prev.state.byId;
  for (const p of next.state.problems) {
    const old = before.get(p.problem.id);
    if (!old) {
      changed.add(groupOf(p));
      continue;
    }
    if (old === p) continue;
    if (!sameRow(old, p)) {
      changed.add(groupOf(old));
      changed.add(groupOf(p));
    }
  }
  if (prev.state.problems.length !== next.state.problems.length) {
    // A problem disappeared (a different dataset): no cheap way to scope that.
    return { full: true, groups: [], badge };
  }
  for (const g of next.roots()) {
    const was = prev.groupNode(g.group);
    if (was.description !== g.description) changed.add(g.group);
  }
  return { full: false, groups: [...changed], badge };
}
