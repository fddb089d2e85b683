import { deriveRunState, type RelabelOptions } from '../core/state/derive';
import type { RunState } from '../core/state/run-state';
import type { RunStore } from './run-store';

/** The read model of an open project folder. */
export function stateOf(store: RunStore, options: RelabelOptions = {}): RunState {
  return deriveRunState(
    {
      settings: store.settings,
      problems: store.problems(),
      responsesOf: (id) => store.responsesOf(id),
      grade: (rid) => store.grade(rid),
      prm: (rid) => store.prm(rid),
      reward: (rid) => store.reward(rid),
      events: store.events(),
    },
    options,
  );
}
