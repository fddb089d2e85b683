import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** A run folder is a folder holding this file (the store writes it last, so it marks a whole project). */
const RUN_FILE = 'hsstar.json';
/** Installed packages and git internals are never searched, whatever the user's exclude settings say. */
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';
const EXCLUDED_SEGMENT = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;
/** How many run folders the workspace holds, for the view's welcome content. */
const COUNT_CONTEXT_KEY = 'hsstar.workspaceRuns';
const RESCAN_DELAY_MS = 300;

export interface WorkspaceRun {
  dir: string;
  /** The folder as the workspace names it, e.g. `runs/math-500` (with the workspace folder's name in a multi-root workspace). */
  label: string;
}

/** A workspace folder that is itself a run is named by its folder name; VS Code has no relative path for it. */
function labelOf(dir: string, multiRoot: boolean): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
  if (folder && folder.uri.fsPath === dir) return folder.name;
  return vscode.workspace.asRelativePath(dir, multiRoot);
}

export interface WorkspaceRunsChange {
  runs: readonly WorkspaceRun[];
  removed: readonly string[];
}

/**
 * The run folders inside the workspace folders: found at start, kept up to date while
 * VS Code is open. A run created in place fires the `hsstar.json` watcher; a run deleted
 * or moved away may only show as the deletion of a parent folder (VS Code drops the
 * children's events), so any deletion at or above a known run rescans too.
 */
export class WorkspaceRuns implements vscode.Disposable {
  private list: WorkspaceRun[] = [];
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<WorkspaceRunsChange>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Resolves when the first search of the workspace is done. */
  readonly ready: Promise<void>;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const runFiles = vscode.workspace.createFileSystemWatcher(`**/${RUN_FILE}`, false, true, false);
    const deletions = vscode.workspace.createFileSystemWatcher('**', true, true, false);
    this.subscriptions.push(
      runFiles,
      deletions,
      runFiles.onDidCreate((uri) => this.onRunFile(uri)),
      runFiles.onDidDelete((uri) => this.onRunFile(uri)),
      deletions.onDidDelete((uri) => {
        const gone = uri.fsPath;
        if (this.list.some((r) => r.dir === gone || r.dir.startsWith(gone + sep))) this.schedule();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()),
    );
    this.ready = this.rescan();
  }

  get runs(): readonly WorkspaceRun[] {
    return this.list;
  }

  private onRunFile(uri: vscode.Uri): void {
    if (!EXCLUDED_SEGMENT.test(vscode.workspace.asRelativePath(uri, false))) this.schedule();
  }

  /** Events come in bursts (a folder removed file by file): one search after they settle. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.rescan();
    }, RESCAN_DELAY_MS);
  }

  /** Searches every workspace folder again; scans run one after another. */
  rescan(): Promise<void> {
    return (this.scanning = this.scanning.then(() => this.search()));
  }

  private async search(): Promise<void> {
    let found: WorkspaceRun[];
    try {
      const files = await vscode.workspace.findFiles(`**/${RUN_FILE}`, EXCLUDE_GLOB);
      const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      found = files
        .map((f) => dirname(f.fsPath))
        // The search index can lag a deletion by a moment; the disk has the last word.
        .filter((dir) => existsSync(join(dir, RUN_FILE)))
        .map((dir) => ({ dir, label: labelOf(dir, multiRoot) }))
        .sort((a, b) => a.label.localeCompare(b.label));
    } catch (err) {
      this.log.warn(`could not search the workspace for run folders: ${String(err)}`);
      return;
    }
    const before = new Set(this.list.map((r) => r.dir));
    const after = new Set(found.map((r) => r.dir));
    const removed = [...before].filter((d) => !after.has(d));
    const added = found.filter((r) => !before.has(r.dir));
    this.list = found;
    void vscode.commands.executeCommand('setContext', COUNT_CONTEXT_KEY, found.length);
    if (added.length || removed.length) {
      for (const r of added) this.log.info(`run folder in the workspace: ${r.dir}`);
      for (const d of removed) this.log.info(`run folder gone from the workspace: ${d}`);
      this.changed.fire({ runs: found, removed });
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
