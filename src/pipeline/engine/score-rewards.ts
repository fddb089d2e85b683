import type { RewardScore } from '../../core/schema/scores';
import type { RewardClient } from '../../endpoints/reward-client';
import type { EndpointError } from '../../endpoints/endpoint-error';
import { runRequests, type RunRequestsOptions, type RunSummary } from './run-requests';

/** One response to be scored as a whole by the reward model. */
export interface RewardWork {
  responseId: string;
  question: string;
  response: string;
}

type Passed = 'signal' | 'onCancel' | 'cut' | 'retry' | 'circuitThreshold' | 'replicaCooldownMs' | 'onProgress' | 'log' | 'secrets';

export interface ScoreRewardsOptions extends Pick<RunRequestsOptions<RewardWork, RewardClient, number>, Passed> {
  clients: readonly RewardClient[];
  work: Iterable<RewardWork>;
  concurrency: number;
  /** Writes the score; it counts once this resolved. */
  onScore: (score: RewardScore) => Promise<void>;
  onFailure?: (work: RewardWork, error: EndpointError) => void | Promise<void>;
}

/** Reward-score each response through the engine. */
export function scoreAllRewards(o: ScoreRewardsOptions): Promise<RunSummary> {
  return runRequests<RewardWork, RewardClient, number>({
    ...o,
    jobs: o.work,
    replicas: o.clients,
    call: (w, client, signal) => client.score(w.question, w.response, signal),
    onResult: (w, score) => o.onScore({ responseId: w.responseId, score, model: o.clients[0]?.model ?? '' }),
  });
}
