import type {
  CuratorEvent,
  FailureRecord,
  Grade,
  Problem,
  Response,
  RewardScore,
  RunSettings,
  ScoreLogRecord,
  StepScores,
} from '../core/schema/index';
import type { ResponseFacts } from '../core/state/response-facts';

/**
 * What the stages need of an open project folder (the store's ProjectStore provides it):
 * lookups into the logs, and appends that resolve once the lines are on disk.
 */
export interface RunStore {
  readonly settings: RunSettings;
  problems(): readonly Problem[];
  responsesOf(problemId: string): readonly Response[];
  /** A problem's responses without their texts (the store reads texts from disk on demand). */
  responseMetaOf(problemId: string): readonly Omit<Response, 'text'>[];
  grade(responseId: string): Grade | undefined;
  /** Whether every response of a problem has a grade from this grader version. */
  gradedBy(problemId: string, grader: string): boolean;
  prm(responseId: string): StepScores | undefined;
  reward(responseId: string): RewardScore | undefined;
  events(): readonly CuratorEvent[];
  failures(): readonly FailureRecord[];
  /** A digest of a response's text, when known (different digests, different texts): pairing reads fewer texts. */
  textDigest?(response: Response): number | undefined;
  /** A problem's responses as the numbers derivation needs, from the store's columns: the read model then builds views only when asked. */
  responseFactsOf?(problemId: string): ResponseFacts;
  appendResponses(responses: Response[]): Promise<unknown>;
  appendScores(records: ScoreLogRecord[]): Promise<unknown>;
}
