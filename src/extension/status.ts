import * as vscode from 'vscode';
import type { Session } from './session';

/** The status-bar item: the open run's label counts, or the running stage's progress. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hsstar.status', vscode.StatusBarAlignment.Left, 50);
  private activity: string | null = null;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.item.name = 'HS-STaR';
    this.item.command = 'hsstar.questions.focus';
    this.subscription = session.onDidChange(() => this.update());
    this.update();
  }

  /** While work runs: e.g. "RDE sample 120/150"; null when it ends. */
  setActivity(text: string | null): void {
    this.activity = text;
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const state = this.session.state;
    if (this.activity) {
      this.item.text = `$(sync~spin) HS-STaR: ${this.activity}`;
      this.item.tooltip = 'HS-STaR run in progress (cancel from its notification)';
      this.item.show();
      return;
    }
    if (!state) {
      this.item.hide();
      return;
    }
    const c = state.counts;
    const unl = c.unlabelled ? ` U ${c.unlabelled}` : '';
    this.item.text = `$(target) B ${c.boundary} · I ${c.inlier} · O ${c.outlier}${unl}`;
    this.item.tooltip = `HS-STaR run ${this.session.dir}: ${c.boundary} Boundary, ${c.inlier} Inlier, ${c.outlier} Outlier${unl ? `, ${c.unlabelled} unlabelled` : ''}; ${state.budget.spent} of ${state.budget.planned} planned responses bought; ${state.pairs.length} pairs`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
