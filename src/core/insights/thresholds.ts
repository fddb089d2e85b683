import type { RunState } from '../state/run-state';
import type { Thresholds } from './method';

/** The thresholds in force: the last applied `thresholds` event, else the run's settings. */
export function currentThresholds(run: Pick<RunState, 'settings' | 'events'>): Thresholds {
  let t: Thresholds = { tauLow: run.settings.thresholds.tauLow, tauHigh: run.settings.thresholds.tauHigh };
  for (const e of run.events) if (e.type === 'thresholds') t = { tauLow: e.tauLow, tauHigh: e.tauHigh };
  return t;
}
