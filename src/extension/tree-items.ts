import * as vscode from 'vscode';
import type { GroupNode, MoreNode, ProblemNode, ProblemTooltip } from '../views/tree-model';

/**
 * One TreeItem class per node kind. `contextValue` is what package.json's menus match
 * (`group`, `problem`, `problem-reviewed`, `more`), so menus live in the manifest.
 */

const GROUP_ICONS: Record<GroupNode['group'], [string, string | null]> = {
  conflict: ['warning', 'charts.orange'],
  boundary: ['target', 'charts.yellow'],
  inlier: ['check-all', 'charts.green'],
  outlier: ['flame', 'charts.red'],
  unlabelled: ['circle-outline', null],
};

export class GroupItem extends vscode.TreeItem {
  constructor(node: GroupNode) {
    super(node.label, node.count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `group:${node.group}`;
    this.description = node.description;
    this.contextValue = 'group';
    const [icon, colour] = GROUP_ICONS[node.group];
    this.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    this.tooltip = `${node.label}: ${node.count} problems, ${node.awaitingReview} awaiting review`;
    this.accessibilityInformation = { label: `${node.label} group, ${node.description}` };
  }
}

const PROBLEM_ICONS = { override: 'edit', reviewed: 'pass', problem: 'symbol-field' } as const;

export class ProblemItem extends vscode.TreeItem {
  constructor(node: ProblemNode) {
    super(node.label, vscode.TreeItemCollapsibleState.None);
    this.id = `problem:${node.problemId}`;
    this.description = node.description;
    this.contextValue = node.contextValue;
    this.iconPath = new vscode.ThemeIcon(PROBLEM_ICONS[node.icon]);
    this.command = { command: 'hsstar.openProblem', title: 'Open', arguments: [node.problemId] };
    this.accessibilityInformation = { label: `${node.label}, ${node.description}${node.icon === 'override' ? ', curator override' : ''}${node.icon === 'reviewed' ? ', reviewed' : ''}` };
  }
}

/** The rich hover of a problem; dataset text goes in as text, never as markdown. */
export function tooltipMarkdown(t: ProblemTooltip): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  tip.appendMarkdown('**');
  tip.appendText(t.heading);
  tip.appendMarkdown('**\n\n');
  for (const [k, v] of t.facts) {
    tip.appendText(`${k}: ${v}`);
    tip.appendMarkdown('  \n');
  }
  tip.appendMarkdown('\n---\n\n');
  tip.appendText(t.question);
  return tip;
}

export class MoreItem extends vscode.TreeItem {
  constructor(node: MoreNode) {
    super(`Show more… (${node.remaining.toLocaleString('en-US')} left)`, vscode.TreeItemCollapsibleState.None);
    this.id = `more:${node.group}:${node.shown}`;
    this.contextValue = 'more';
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.command = { command: 'hsstar.showMore', title: 'Show more', arguments: [node.group] };
  }
}
