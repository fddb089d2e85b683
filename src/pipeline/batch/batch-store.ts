import type { RunStore } from '../run-store';

/** What the batch commands need of an open project folder (ProjectStore provides it). */
export interface BatchStore extends RunStore {
  hasResponse(responseId: string): boolean;
}
