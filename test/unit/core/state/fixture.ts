import {
  RunSettings,
  type CuratorEvent,
  type Grade,
  type Problem,
  type Response,
  type RewardScore,
  type RunSettingsInput,
  type StepScores,
} from '../../../../src/core/schema/index';
import type { DeriveInput } from '../../../../src/core/state/derive';

/** A response as a test describes it: null `correct` means not graded, null `scores` not PRM-scored. */
export interface R {
  correct: boolean | null;
  scores: number[] | null;
  text?: string;
  reward?: number;
  /** E.g. `length` for a response cut at max_tokens; default `stop`. */
  finishReason?: string;
  /** The grader found no final answer (extracted null). */
  noAnswer?: boolean;
}

/** The settings every unit-test run starts from (the reference budget and thresholds, a PRM configured). */
export const SETTINGS_INPUT: RunSettingsInput = {
  formatVersion: 1,
  dataset: { path: 'data.jsonl', sha256: 'b'.repeat(64) },
  policy: { baseURLs: ['http://127.0.0.1:9/v1'], model: 'policy' },
  prm: { protocol: 'http-json', baseURLs: ['http://127.0.0.1:9'], model: 'prm' },
  budget: { N: 8, presample: 3 },
  thresholds: { tauLow: 0.15, tauHigh: 0.65 },
};

export function settings(extra: Partial<RunSettingsInput> = {}): RunSettings {
  return RunSettings.parse({ ...SETTINGS_INPUT, ...extra });
}

/** A response record as the store keeps it: slot `slot` of `problemId`, a pre-sample below `presample`. */
export function testResponse(problemId: string, slot: number, presample: number, fields: Partial<Response> = {}): Response {
  return {
    id: `${problemId}:${slot}`,
    problemId,
    slot,
    stage: slot < presample ? 'pre' : 're',
    text: 'step',
    finishReason: 'stop',
    usage: { prompt: 10, completion: 20 },
    model: 'policy',
    latencyMs: 1,
    at: '2026-01-01T00:00:00Z',
    round: 0,
    ...fields,
  };
}

export function input(spec: Record<string, R[]>, s: RunSettings = settings(), events: CuratorEvent[] = []): DeriveInput {
  const problems: Problem[] = [];
  const responses = new Map<string, Response[]>();
  const grades = new Map<string, Grade>();
  const prm = new Map<string, StepScores>();
  const rewards = new Map<string, RewardScore>();
  let line = 0;
  for (const [id, rs] of Object.entries(spec)) {
    problems.push({ id, question: `question ${id}`, answer: '1', source: { file: 'data.jsonl', line: ++line } });
    responses.set(
      id,
      rs.map((r, slot) => {
        const rid = `${id}:${slot}`;
        if (r.correct !== null) grades.set(rid, { responseId: rid, extracted: r.noAnswer ? null : r.correct ? '1' : '2', method: r.noAnswer ? 'none' : 'box', correct: r.correct, grader: 't' });
        if (r.scores !== null) prm.set(rid, { responseId: rid, scores: r.scores, model: 'prm' });
        if (r.reward !== undefined) rewards.set(rid, { responseId: rid, score: r.reward, model: 'rm' });
        return testResponse(id, slot, s.budget.presample, {
          text: r.text ?? `step one of ${rid}\n\nstep two, so \\boxed{${r.correct ? 1 : 2}}`,
          ...(r.finishReason ? { finishReason: r.finishReason } : {}),
        });
      }),
    );
  }
  return {
    settings: s,
    problems,
    responsesOf: (id) => responses.get(id) ?? [],
    grade: (rid) => grades.get(rid),
    prm: (rid) => prm.get(rid),
    reward: (rid) => rewards.get(rid),
    events,
  };
}

export const ok = (s: number, extra: Partial<R> = {}): R => ({ correct: true, scores: [0.99, s], ...extra });
export const bad = (s: number, extra: Partial<R> = {}): R => ({ correct: false, scores: [s, 0.99], ...extra });
