import type { CuratorEvent } from '../../core/schema/index';
import type { RunState } from '../../core/state/run-state';
import type { InsightsIntent } from '../../protocol-insights';

/** What an insights intent may touch: the open run, its event log, the inspector. */
export interface InsightsIntentHost {
  state(): RunState | null;
  writable(): boolean;
  stamp(): { id: string; at: string; author: string };
  append(event: CuratorEvent): Promise<void>;
  openProblem(problemId: string, responseId: string | null, stepIndex: number | null): void;
  /** Re-posts the panel's data (after `ready`). */
  render(): Promise<void>;
}

/**
 * Runs one intent of the insights page; returns an error message for the page, or null.
 * Kept free of `vscode` so it is tested against a real project folder.
 */
export async function handleInsightsIntent(intent: InsightsIntent, host: InsightsIntentHost): Promise<string | null> {
  switch (intent.type) {
    case 'ready':
      await host.render();
      return null;
    case 'apply-thresholds': {
      if (!host.state()) return 'No run is open.';
      if (!host.writable()) return 'This run is open read-only (another process holds its lock).';
      // The event relabels from the logs at once: no request, no regrading.
      await host.append({ ...host.stamp(), type: 'thresholds', tauLow: intent.tauLow, tauHigh: intent.tauHigh });
      return null;
    }
    case 'open-problem':
      if (!host.state()?.byId.has(intent.problemId)) return `No problem ${intent.problemId} in this run.`;
      host.openProblem(intent.problemId, intent.responseId, intent.stepIndex);
      return null;
  }
}
