import * as vscode from 'vscode';
import { parsePanelState, parseWebviewRequest, type HostMessage, type InspectorFocus, type Intent } from '../protocol';
import { isEditIntent } from '../views/curator-intents';
import { buildInspectorPayload, focusWithin } from '../views/inspector-payload';
import { INSPECTOR_PAGE } from '../views/webview-html';
import type { Session } from './session';
import { runsAllowed } from './trust';
import { readGuidelines } from '../store/guidelines';
import { answerRequests, setPageHtml, webviewOptions } from './webview-panel';

export const INSPECTOR_VIEW_TYPE = 'hsstar.inspector';

/**
 * The one inspector panel: reused for every problem, restored after a reload by the
 * serializer. It posts renders; the page answers with intents, each checked by the
 * protocol's schema (a malformed message is logged and dropped, never acted on).
 */
export class Inspector implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | null = null;
  private problemId: string | null = null;
  private compare: [string, string] | null = null;
  /** Where to open the next render (one response, maybe one step); posted once, then cleared. */
  private focus: InspectorFocus | null = null;
  private ready = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Messages the page sent that were dropped; extension-host tests read it. */
  dropped = 0;
  /** The focus of the last render posted with one; extension-host tests read it. */
  lastFocus: InspectorFocus | null = null;
  /** Why the run's GUIDELINES.md is not shown (a link, a device…), said to the user once per folder; extension-host tests read it. */
  guidelinesRefused: string | null = null;
  private readonly toldGuidelines = new Set<string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly log: vscode.LogOutputChannel,
    private readonly reveal: (problemId: string) => void,
  ) {
    this.subscriptions.push(session.onDidChange(() => this.render()));
  }

  get currentProblem(): string | null {
    return this.problemId;
  }

  /** Shows a problem; with a focus, at that response (expanded, scrolled to) and step. */
  show(problemId: string, focus: InspectorFocus | null = null): void {
    if (this.problemId !== problemId) this.compare = null;
    this.problemId = problemId;
    this.focus = focus;
    if (!this.panel) {
      this.attach(
        vscode.window.createWebviewPanel(
          INSPECTOR_VIEW_TYPE,
          INSPECTOR_PAGE.title,
          { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
          webviewOptions(this.extensionUri, INSPECTOR_PAGE),
        ),
      );
    } else {
      // j / k inside the active panel: revealing it again would only move the keyboard focus about.
      if (!this.panel.active) this.panel.reveal(undefined, false);
      this.render();
    }
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel?.dispose();
    this.problemId = parsePanelState(state).problemId;
    panel.webview.options = webviewOptions(this.extensionUri, INSPECTOR_PAGE);
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    setPageHtml(panel.webview, this.extensionUri, INSPECTOR_PAGE);
    const subs = [
      answerRequests(panel.webview, {
        page: 'inspector',
        log: this.log,
        parse: parseWebviewRequest,
        handle: (intent) => this.handle(intent),
        onDropped: () => this.dropped++,
      }),
      panel.onDidDispose(() => {
        for (const d of subs) d.dispose();
        if (this.panel === panel) this.panel = null;
      }),
    ];
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  /** Posts the current problem (or why there is none). Cheap: one problem's payload. */
  render(): void {
    if (!this.panel || !this.ready) return;
    const { state, tree } = this.session;
    if (!state || !tree) return this.post({ kind: 'empty', message: 'No run is open. Use “HS-STaR: Open Run” or “HS-STaR: Open Demo Run”.' });
    if (!this.problemId) return this.post({ kind: 'empty', message: 'Pick a problem in the Questions view.' });
    const payload = buildInspectorPayload(this.problemId, {
      state,
      tree,
      compare: this.compare,
      canUndo: this.session.canUndo(),
      runsEnabled: runsAllowed(),
      guidelines: this.session.dir ? this.guidelinesOf(this.session.dir) : null,
    });
    if (!payload) return this.post({ kind: 'empty', message: `Problem ${this.problemId} is not in this run.` });
    this.panel.title = `Inspector: ${this.problemId}`;
    const focus = focusWithin(payload, this.focus);
    this.focus = null;
    if (!focus) return this.post({ kind: 'render', payload });
    this.lastFocus = focus;
    this.post({ kind: 'render', payload, focus });
  }

  /**
   * The run folder's GUIDELINES.md; none when it is refused (a received folder may hold a
   * link or a device there): the user is told why, once per folder, and the page goes on.
   */
  private guidelinesOf(dir: string): string | null {
    try {
      return readGuidelines(dir);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.guidelinesRefused = message;
      if (!this.toldGuidelines.has(dir)) {
        this.toldGuidelines.add(dir);
        this.log.warn(`guidelines not shown: ${message}`);
        void vscode.window.showWarningMessage(`HS-STaR: the run's guidelines are not shown: ${message}`);
      }
      return null;
    }
  }

  /** Runs one intent; returns an error message for the page, or null. */
  async handle(intent: Intent): Promise<string | null> {
    switch (intent.type) {
      case 'ready':
        this.ready = true;
        this.render();
        return null;
      case 'navigate': {
        const mine = this.session.nextAssigned(intent.problemId, intent.direction);
        if (mine === null) return `No ${intent.direction === 'next' ? 'later' : 'earlier'} unreviewed problem is assigned to you.`;
        const next = mine ?? this.session.tree?.neighbour(intent.problemId, intent.direction) ?? null;
        if (!next) return intent.direction === 'next' ? 'This is the last problem of the group.' : 'This is the first problem of the group.';
        this.show(next);
        this.reveal(next);
        return null;
      }
      case 'compare':
        if (intent.problemId !== this.problemId) return 'That problem is no longer shown.';
        this.compare = intent.responseIds;
        this.render();
        return null;
      default: {
        if (!isEditIntent(intent)) return null;
        const result = await this.session.edit(intent);
        // A successful edit re-renders through the session's change event.
        return result.ok ? null : result.error;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
