import { z } from 'zod';
import { Response } from './response';
import { StepScores, RewardScore } from './scores';
import { Grade } from './grade';
import { CuratorEvent } from './events';

/**
 * What the project folder's append-only logs hold, one JSON object per line.
 * `responses.jsonl`: ResponseRecord; `scores.jsonl`: Prm/Reward/Grade/Failure records;
 * `events.jsonl`: EventRecord.
 */
export const ResponseRecord = z.object({ kind: z.literal('response') }).extend(Response.shape);
export const PrmRecord = z.object({ kind: z.literal('prm') }).extend(StepScores.shape);
export const RewardRecord = z.object({ kind: z.literal('reward') }).extend(RewardScore.shape);
export const GradeRecord = z.object({ kind: z.literal('grade') }).extend(Grade.shape);

/** A request that failed for good (after retries); kept so status can report it. */
export const FailureRecord = z.object({
  kind: z.literal('failure'),
  endpoint: z.enum(['policy', 'prm', 'reward']),
  /** Response id(s) the request was for. */
  targets: z.array(z.string()),
  url: z.string(),
  status: z.number().int().nullable(),
  message: z.string(),
  at: z.string(),
});

const IsoTime = z.iso.datetime({ offset: true });

/**
 * An events file's line, checked as settings are: its time an ISO time (the merge order
 * sorts on it), and thresholds in order (tauLow ≤ tauHigh, as in `hsstar.json`).
 */
export const EventRecord = z.object({
  kind: z.literal('event'),
  event: CuratorEvent.superRefine((e, ctx) => {
    if (!IsoTime.safeParse(e.at).success) ctx.addIssue({ code: 'custom', path: ['at'], message: `not an ISO time (${JSON.stringify(e.at).slice(0, 40)}); write e.g. 2026-01-31T12:00:00.000Z` });
    if (e.type === 'thresholds' && e.tauLow > e.tauHigh) ctx.addIssue({ code: 'custom', path: ['tauLow'], message: 'tauLow must not exceed tauHigh' });
  }),
});

export const ScoreLogRecord = z.discriminatedUnion('kind', [PrmRecord, RewardRecord, GradeRecord, FailureRecord]);

export type ResponseRecord = z.infer<typeof ResponseRecord>;
export type PrmRecord = z.infer<typeof PrmRecord>;
export type RewardRecord = z.infer<typeof RewardRecord>;
export type GradeRecord = z.infer<typeof GradeRecord>;
export type FailureRecord = z.infer<typeof FailureRecord>;
export type EventRecord = z.infer<typeof EventRecord>;
export type ScoreLogRecord = z.infer<typeof ScoreLogRecord>;
