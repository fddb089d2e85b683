import * as vscode from 'vscode';
import { diffTrees } from '../views/tree-diff';
import { problemTooltip, type GroupId, type MoreNode, type ProblemNode, type TreeModel } from '../views/tree-model';
import { GroupItem, MoreItem, ProblemItem, tooltipMarkdown } from './tree-items';
import type { Session, SessionChange } from './session';

/** Group elements keep their identity across refreshes, so a change event can name one. */
interface GroupRef {
  kind: 'group';
  group: GroupId;
}
type Element = GroupRef | ProblemNode | MoreNode;

/**
 * The Questions view. It renders the session's TreeModel; children are built one page at a
 * time, and after an edit only the groups the diff names are refreshed.
 */
export class QuestionTree implements vscode.TreeDataProvider<Element>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Element | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly groups = new Map<GroupId, GroupRef>();
  private readonly limits = new Map<GroupId, number>();
  readonly view: vscode.TreeView<Element>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly pageSize: () => number,
  ) {
    this.view = vscode.window.createTreeView('hsstar.questions', { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(this.view, this.changed, session.onDidChange((c) => this.onSession(c)));
    this.updateChrome();
  }

  private model(): TreeModel | null {
    return this.session.tree;
  }

  private ref(group: GroupId): GroupRef {
    let r = this.groups.get(group);
    if (!r) this.groups.set(group, (r = { kind: 'group', group }));
    return r;
  }

  getTreeItem(e: Element): vscode.TreeItem {
    if (e.kind === 'group') return new GroupItem(this.model()!.groupNode(e.group));
    if (e.kind === 'problem') return new ProblemItem(e);
    return new MoreItem(e);
  }

  getChildren(e?: Element): Element[] {
    const model = this.model();
    if (!model) return [];
    if (!e) return model.roots().map((g) => this.ref(g.group));
    if (e.kind !== 'group') return [];
    return model.children(e.group, this.limits.get(e.group) ?? this.pageSize());
  }

  /** Hover text is built when asked for, not for every row. */
  resolveTreeItem(item: vscode.TreeItem, e: Element): vscode.TreeItem {
    const p = e.kind === 'problem' ? this.session.state?.byId.get(e.problemId) : undefined;
    if (p) item.tooltip = tooltipMarkdown(problemTooltip(p));
    return item;
  }

  getParent(e: Element): Element | undefined {
    return e.kind === 'group' ? undefined : this.ref(e.group);
  }

  /** The "Show more…" node: one more page of that group. */
  showMore(group: GroupId): void {
    this.limits.set(group, (this.limits.get(group) ?? this.pageSize()) + this.pageSize());
    this.changed.fire(this.ref(group));
  }

  /** Reveals a problem's node (its page is loaded first). */
  async reveal(problemId: string): Promise<void> {
    const model = this.model();
    const pos = model?.positionOf(problemId);
    if (!model || !pos || pos.index < 0) return;
    if (pos.index >= (this.limits.get(pos.group) ?? this.pageSize())) {
      this.limits.set(pos.group, pos.index + 1);
      this.changed.fire(this.ref(pos.group));
    }
    const node = (model.children(pos.group, pos.index + 1) as ProblemNode[])[pos.index];
    if (node) await this.view.reveal(node, { select: true, focus: false });
  }

  private onSession(c: SessionChange): void {
    if (!c.previous || !c.current) {
      this.limits.clear();
      this.changed.fire(undefined);
    } else {
      const change = diffTrees(c.previous, c.current);
      if (change.full) {
        this.limits.clear();
        this.changed.fire(undefined);
      } else {
        for (const g of change.groups) this.changed.fire(this.ref(g));
      }
    }
    this.updateChrome();
  }

  private updateChrome(): void {
    const model = this.model();
    const badge = model?.badge ?? 0;
    this.view.badge = badge > 0 ? { value: badge, tooltip: `${badge} Boundary problems awaiting review` } : undefined;
    const filter = this.session.options.filter.trim();
    this.view.message = !model ? undefined : filter ? `Filter: “${filter}”` : undefined;
    void vscode.commands.executeCommand('setContext', 'hsstar.filtered', filter !== '');
    void vscode.commands.executeCommand('setContext', 'hsstar.runOpen', model !== null);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
