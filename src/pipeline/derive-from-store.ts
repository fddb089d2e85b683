import { deriveRunState, rederive, type DeriveInput, type RelabelOptions } from '../core/state/derive';
import type { RunState } from '../core/state/run-state';
import type { RunStore } from './run-store';

/** The read model of an open project folder. */
export function stateOf(store: RunStore, options: RelabelOptions = {}): RunState {
  return deriveRunState(deriveInputOf(store), options);
}

/** The read model again after the logs grew: only the `changed` problems are derived anew. */
export function restateOf(store: RunStore, previous: RunState, changed: ReadonlySet<string>, options: RelabelOptions = {}): RunState {
  return rederive(previous, deriveInputOf(store), changed, options);
}

/** What derivation reads from an open project folder. */
export function deriveInputOf(store: RunStore): DeriveInput {
  return {
    settings: store.settings,
    problems: store.problems(),
    responsesOf: (id) => store.responsesOf(id),
    grade: (rid) => store.grade(rid),
    prm: (rid) => store.prm(rid),
    reward: (rid) => store.reward(rid),
    events: store.events(),
    ...(store.textDigest ? { textDigest: store.textDigest.bind(store) } : {}),
    ...(store.responseFactsOf ? { responseFactsOf: store.responseFactsOf.bind(store) } : {}),
  };
}
