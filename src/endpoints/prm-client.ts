import { EndpointError } from './endpoint-error';

/** A process reward model: one score in [0, 1] per step of a response. */
export interface PrmClient {
  /** The replica's base URL, for messages and load spreading. */
  readonly url: string;
  readonly model: string;
  scoreSteps(question: string, steps: readonly string[], signal?: AbortSignal): Promise<number[]>;
}

/** A PRM that answers with a different number of scores than steps is a broken setup, not noise. */
export function checkStepScores(scores: readonly number[], steps: number, url: string): number[] {
  if (scores.length !== steps) {
    throw new EndpointError(
      'mismatch',
      url,
      null,
      `PRM returned ${scores.length} scores for ${steps} steps (check prm.protocol and prm.model)`,
    );
  }
  for (const s of scores) {
    if (!Number.isFinite(s) || s < 0 || s > 1) {
      throw new EndpointError('mismatch', url, null, `PRM score ${s} is outside [0, 1] (check prm.protocol)`);
    }
  }
  return [...scores];
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
