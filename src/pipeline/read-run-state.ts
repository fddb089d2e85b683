import type { RunState } from '../core/state/run-state';
import { ProjectStore } from '../store/project';
import { stateOf } from './derive-from-store';

/** The read model of the project folder `dir`, opened without the lock and closed again. */
export async function readRunState(dir: string): Promise<RunState> {
  const { store } = await ProjectStore.open(dir, { write: false });
  try {
    return stateOf(store);
  } finally {
    await store.close();
  }
}
