import {
  effectiveLabel,
  labelSource,
  type CuratorEvent,
  type Label,
  type Pair,
  type RunSettingsInput,
  type Stage,
} from '../../../src/core/schema/index';
import type { ProblemState, ResponseView, RunState } from '../../../src/core/state/run-state';
import { rdeLabel, rdeStats } from '../../../src/core/rde';
import { planBudget } from '../../../src/core/budget-plan';
import { settings as testSettings, testResponse } from '../core/state/fixture';

/** One response of a hand-made run: graded correct or not, and its step scores (omit when unscored). */
export interface R {
  correct?: boolean;
  steps?: number[];
  reward?: number;
  stage?: Stage;
  prompt?: number;
  completion?: number;
  latencyMs?: number;
  at?: string;
  finishReason?: string;
}

export interface P {
  id: string;
  responses: R[];
  override?: Label;
  pairs?: Array<[number, number]>;
}

/** Builds a RunState the way the read model describes it, labels by the method's rule. */
export function handMadeRun(problems: P[], settings: Partial<RunSettingsInput> = {}, events: CuratorEvent[] = []): RunState {
  const s = testSettings(settings);
  let thresholds = s.thresholds;
  for (const e of events) if (e.type === 'thresholds') thresholds = { tauLow: e.tauLow, tauHigh: e.tauHigh };
  const prmConfigured = s.prm.protocol !== 'none';
  const states: ProblemState[] = problems.map((p) => {
    const responses: ResponseView[] = p.responses.map((r, slot) => {
      const id = `${p.id}:${slot}`;
      const min = r.steps ? Math.min(...r.steps) : null;
      return {
        response: testResponse(p.id, slot, s.budget.presample, {
          ...(r.stage ? { stage: r.stage } : {}),
          finishReason: r.finishReason ?? 'stop',
          usage: { prompt: r.prompt ?? 0, completion: r.completion ?? 0 },
          latencyMs: r.latencyMs ?? 0,
          at: r.at ?? '2026-01-01T00:00:00.000Z',
          round: s.round.index,
        }),
        grade: r.correct === undefined ? null : { responseId: id, extracted: null, method: 'box', correct: r.correct, grader: 't' },
        steps: (r.steps ?? []).map(() => 'step'),
        stepScores: r.steps ?? null,
        minScore: min,
        minStepIndex: r.steps ? r.steps.indexOf(min!) : null,
        reward: r.reward ?? null,
      };
    });
    const stats = rdeStats(
      responses
        .filter((r) => r.response.slot < s.budget.presample)
        .map((r) => ({ correct: r.grade ? r.grade.correct : null, minScore: r.minScore })),
    );
    const { phiA, phiR } = stats;
    const derived = rdeLabel(stats, thresholds, s.rdeMode, prmConfigured);
    const label = {
      derived,
      ...(p.override ? { override: { label: p.override, reason: 'seen', author: 'ann', at: '2026-01-01T00:00:00Z' } } : {}),
    } as ProblemState['label'];
    const pairs: Pair[] = (p.pairs ?? []).map(([c, j]) => ({
      problemId: p.id,
      chosenId: `${p.id}:${c}`,
      rejectedId: `${p.id}:${j}`,
      chosenScore: responses[c]!.minScore,
      rejectedScore: responses[j]!.minScore,
      origin: 'auto',
      pinned: false,
    }));
    return {
      problem: { id: p.id, question: `question ${p.id}`, answer: '1', source: { file: 'data.jsonl', line: 1 } },
      responses,
      responseCount: responses.length,
      phiA,
      phiR,
      label,
      effective: effectiveLabel(label),
      labelSource: labelSource(label),
      graded: responses.filter((r) => r.grade).length,
      correct: responses.filter((r) => r.grade?.correct).length,
      reviewed: false,
      pairs,
    };
  });
  const counts = { inlier: 0, outlier: 0, boundary: 0, unlabelled: 0 };
  for (const p of states) counts[p.effective]++;
  const plan = planBudget({ problems: states.map((p) => ({ id: p.problem.id, label: p.effective })), N: s.budget.N, presample: s.budget.presample, seed: s.seed });
  return {
    settings: s,
    problems: states,
    byId: new Map(states.map((p) => [p.problem.id, p])),
    counts,
    events,
    thresholds,
    prmConfigured,
    budget: { N: s.budget.N, presample: s.budget.presample, spent: states.reduce((a, p) => a + p.responses.length, 0), planned: plan.planned, plan },
    pairs: states.flatMap((p) => p.pairs),
  };
}
