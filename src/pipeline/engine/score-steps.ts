import type { StepScores } from '../../core/schema/scores';
import type { PrmClient } from '../../endpoints/prm-client';
import type { EndpointError } from '../../endpoints/endpoint-error';
import { runRequests, type RunRequestsOptions, type RunSummary } from './run-requests';

/** One response's steps, to be scored by the PRM. */
export interface ScoringWork {
  responseId: string;
  question: string;
  steps: string[];
}

type Passed = 'signal' | 'onCancel' | 'cut' | 'retry' | 'circuitThreshold' | 'replicaCooldownMs' | 'onProgress' | 'log' | 'secrets';

export interface ScoreStepsOptions extends Pick<RunRequestsOptions<ScoringWork, PrmClient, number[]>, Passed> {
  clients: readonly PrmClient[];
  work: Iterable<ScoringWork>;
  concurrency: number;
  /** Writes the scores; they count once it resolved. */
  onScores: (scores: StepScores) => Promise<void>;
  onFailure?: (work: ScoringWork, error: EndpointError) => void | Promise<void>;
}

/** PRM-score each response's steps through the engine. */
export function scoreAllSteps(o: ScoreStepsOptions): Promise<RunSummary> {
  return runRequests<ScoringWork, PrmClient, number[]>({
    ...o,
    jobs: o.work,
    replicas: o.clients,
    call: (w, client, signal) => client.scoreSteps(w.question, w.steps, signal),
    onResult: (w, scores) => o.onScores({ responseId: w.responseId, scores, model: o.clients[0]?.model ?? '' }),
  });
}
