import * as vscode from 'vscode';
import { isAbsolute, resolve } from 'node:path';
import { insightsData } from '../../core/insights/insights-data';
import type { RunState } from '../../core/state/run-state';
import { InsightsPayload, parseInsightsRequest, type HostMessage, type InsightsIntent } from '../../protocol-insights';
import { readRunState } from '../../pipeline/read-run-state';
import { INSIGHTS_PAGE } from '../../views/webview-html';
import type { Ctx } from '../ctx';
import { answerRequests, setPageHtml, webviewOptions } from '../webview-panel';
import { handleInsightsIntent } from './insights-intents';

export const INSIGHTS_VIEW_TYPE = 'hsstar.insights';

/** The earlier round's read model, read once per folder (it is a finished run). */
interface PreviousRound {
  dir: string;
  state: RunState | null;
  error?: string;
}

/**
 * The insights panel: calibration, reward-model debugging, estimation quality, budget and
 * rounds for the open run. It owns nothing: it posts what the session's read model says,
 * and turns the page's intents into a `thresholds` event or an inspector request.
 */
export class InsightsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  /** The run changed while the panel was hidden: recompute when it shows again. */
  private stale = false;
  private previous: PreviousRound | null = null;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [ctx.session.onDidChange(() => void this.render())];
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      void this.render();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      INSIGHTS_VIEW_TYPE,
      INSIGHTS_PAGE.title,
      vscode.ViewColumn.Active,
      webviewOptions(this.ctx.extensionUri, INSIGHTS_PAGE),
    );
    this.panel = panel;
    this.ready = false;
    setPageHtml(panel.webview, this.ctx.extensionUri, INSIGHTS_PAGE);
    const subs = [
      answerRequests(panel.webview, { page: 'insights', log: this.ctx.log, parse: parseInsightsRequest, handle: (intent) => this.handle(intent) }),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) void this.render();
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

  private async previousRound(state: RunState): Promise<PreviousRound | null> {
    const named = state.settings.round.previousRun;
    const runDir = this.ctx.session.dir;
    if (!named || !runDir) return null;
    const dir = isAbsolute(named) ? named : resolve(runDir, named);
    if (this.previous?.dir === dir) return this.previous;
    try {
      this.previous = { dir, state: await readRunState(dir) };
    } catch (err) {
      this.previous = { dir, state: null, error: String((err as Error).message ?? err) };
    }
    return this.previous;
  }

  /** Posts the whole insights payload (the webview keeps nothing between renders). */
  async render(): Promise<void> {
    if (!this.panel || !this.ready) return;
    // With 50,000 problems the data takes a noticeable moment: only for a visible panel.
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const state = this.ctx.session.state;
    if (!state) return this.post({ kind: 'error', seq: null, message: 'No run is open. Use “HS-STaR: Open Run” or “HS-STaR: Open Demo Run”.' });
    const previous = await this.previousRound(state);
    const data = insightsData(state, {
      failures: this.ctx.session.project?.failures() ?? [],
      previous: previous?.state ?? null,
      ...(previous?.error ? { previousError: previous.error } : {}),
    });
    // Checked here too, so a schema drift shows in the log rather than as a blank page.
    const payload = InsightsPayload.safeParse(data);
    if (!payload.success) {
      this.ctx.log.error(`insights: payload does not match the protocol: ${payload.error.message}`);
      return this.post({ kind: 'error', seq: null, message: 'The insights could not be computed; see the HS-STaR log.' });
    }
    this.post({ kind: 'render', payload: payload.data });
  }

  /** Runs one intent; returns an error message for the page, or null. */
  async handle(intent: InsightsIntent): Promise<string | null> {
    const session = this.ctx.session;
    return handleInsightsIntent(intent, {
      state: () => session.state,
      writable: () => session.canCurate,
      stamp: () => session.stamp(),
      // The session re-derives after appending; its change event re-renders this panel.
      append: (event) => session.append(event),
      // A reward-model row opens at its response with the weakest step marked.
      openProblem: (problemId, responseId, stepIndex) => this.ctx.inspector.show(problemId, responseId ? { responseId, stepIndex } : null),
      render: async () => {
        this.ready = true;
        await this.render();
      },
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

let instance: InsightsPanel | null = null;

/** `hsstar.showInsights`: one panel per window, created on first use. */
export function showInsights(ctx: Ctx): boolean {
  if (!ctx.session.state) {
    void vscode.window.showWarningMessage('No HS-STaR run is open: use “HS-STaR: Open Run” or “HS-STaR: New Run from Dataset”.');
    return false;
  }
  instance ??= new InsightsPanel(ctx);
  instance.show();
  return true;
}
