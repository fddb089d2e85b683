import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CuratorEvent, Grade, Problem, Response, RewardScore, StepScores } from '../../../src/core/schema/index';
import { settings, testResponse } from '../core/state/fixture';
import { deriveRunState } from '../../../src/core/state/derive';
import type { RunState } from '../../../src/core/state/run-state';

/**
 * A run state derived (by the real derivation) from real model outputs: 50 MATH problems,
 * 8 responses each, with the reference grader's own verdicts. Step scores are not in the
 * data, so they are drawn from a seeded generator: high for correct responses, low for
 * incorrect ones, which is the shape a PRM gives.
 */
const DATA = fileURLToPath(new URL('../../../media/demo/math_cot_50.jsonl', import.meta.url));

interface Row {
  idx: number;
  question: string;
  gt: string;
  response: string[];
  pred: string[];
  score: boolean[];
  pred_score: number[][];
}

export interface RunLogs {
  problems: Problem[];
  responses: Response[];
  grades: Map<string, Grade>;
  prm: Map<string, StepScores>;
  rewards: Map<string, RewardScore>;
}

export const SETTINGS = settings({ dataset: { path: 'math_cot_50.jsonl', sha256: 'a'.repeat(64) } });

function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function loadLogs(): RunLogs {
  const rows = readFileSync(DATA, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  const logs: RunLogs = { problems: [], responses: [], grades: new Map(), prm: new Map(), rewards: new Map() };
  const next = generator(7);
  rows.forEach((row, line) => {
    const problemId = `math/${row.idx}`;
    logs.problems.push({ id: problemId, question: row.question, answer: row.gt, source: { file: 'math_cot_50.jsonl', line: line + 1 } });
    row.response.forEach((text, slot) => {
      const id = `${problemId}:${slot}`;
      logs.responses.push(testResponse(problemId, slot, 3, { text, usage: { prompt: 120, completion: Math.ceil(text.length / 4) }, model: 'qwen', latencyMs: 10 }));
      const correct = row.score[slot] === true;
      logs.grades.set(id, { responseId: id, extracted: row.pred[slot] ?? null, method: 'box', correct, grader: 'test' });
      const steps = text.split('\n\n').filter((s) => s.trim() !== '').length || 1;
      const base = correct ? 0.55 : 0.05;
      logs.prm.set(id, { responseId: id, scores: Array.from({ length: steps }, () => base + next() * 0.45), model: 'prm' });
      const reward = row.pred_score[slot]?.[0];
      if (reward !== undefined) logs.rewards.set(id, { responseId: id, score: reward, model: 'orm' });
    });
  });
  return logs;
}

export function derive(logs: RunLogs, events: CuratorEvent[] = []): RunState {
  const byProblem = new Map<string, Response[]>();
  for (const r of logs.responses) {
    const list = byProblem.get(r.problemId);
    if (list) list.push(r);
    else byProblem.set(r.problemId, [r]);
  }
  return deriveRunState({
    settings: SETTINGS,
    problems: logs.problems,
    responsesOf: (id) => byProblem.get(id) ?? [],
    grade: (id) => logs.grades.get(id),
    prm: (id) => logs.prm.get(id),
    reward: (id) => logs.rewards.get(id),
    events,
  });
}

let counter = 0;
export function stamp(author = 'ann'): { id: string; at: string; author: string } {
  counter++;
  return { id: `e${counter}`, at: `2026-01-01T00:00:${String(counter % 60).padStart(2, '0')}Z`, author };
}
