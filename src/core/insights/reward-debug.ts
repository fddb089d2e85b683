import type { RunState, ResponseView } from '../state/run-state';
import { auroc } from './auroc';

/** A response where the PRM and the grader disagree strongly; opens in the inspector. */
export interface DisagreementRow {
  problemId: string;
  responseId: string;
  correct: boolean;
  minScore: number;
  /** The step to highlight: where the PRM put its lowest score. */
  minStepIndex: number | null;
}

/** A pair whose chosen (correct) response scores lower than its rejected one. */
export interface InvertedPairRow {
  problemId: string;
  chosenId: string;
  rejectedId: string;
  /** S(r) of each side now; null when not scored. */
  chosenMin: number | null;
  rejectedMin: number | null;
  chosenReward: number | null;
  rejectedReward: number | null;
  /** Which scores put the chosen side lower. */
  byPrm: boolean;
  byReward: boolean;
  /** The chosen side's weakest step, for the inspector. */
  chosenMinStepIndex: number | null;
}

export interface ProblemAuroc {
  problemId: string;
  auroc: number;
  correct: number;
  incorrect: number;
}

export interface RewardDebug {
  tauLow: number;
  tauHigh: number;
  /** Correct responses with S(r) < tau_l. */
  correctLow: DisagreementRow[];
  /** Incorrect responses with S(r) > tau_h. */
  incorrectHigh: DisagreementRow[];
  invertedPairs: InvertedPairRow[];
  pairsChecked: number;
  /** Per problem with both correct and incorrect scored responses, lowest AUROC first. */
  perProblem: ProblemAuroc[];
  /** All scored responses of the run pooled. */
  runAuroc: number | null;
  /** Mean of the per-problem values (how well the PRM ranks within a problem). */
  meanProblemAuroc: number | null;
}

function row(problemId: string, r: ResponseView): DisagreementRow {
  return { problemId, responseId: r.response.id, correct: r.grade!.correct, minScore: r.minScore!, minStepIndex: r.minStepIndex };
}

export function rewardDebug(run: RunState): RewardDebug {
  const t = run.thresholds;
  const out: RewardDebug = {
    ...t,
    correctLow: [],
    incorrectHigh: [],
    invertedPairs: [],
    pairsChecked: 0,
    perProblem: [],
    runAuroc: null,
    meanProblemAuroc: null,
  };
  const allPos: number[] = [];
  const allNeg: number[] = [];
  for (const p of run.problems) {
    const pos: number[] = [];
    const neg: number[] = [];
    for (const r of p.responses) {
      if (!r.grade || r.minScore === null) continue;
      if (r.grade.correct) {
        pos.push(r.minScore);
        if (r.minScore < t.tauLow) out.correctLow.push(row(p.problem.id, r));
      } else {
        neg.push(r.minScore);
        if (r.minScore > t.tauHigh) out.incorrectHigh.push(row(p.problem.id, r));
      }
    }
    for (const x of pos) allPos.push(x);
    for (const x of neg) allNeg.push(x);
    const a = auroc(pos, neg);
    if (a !== null) out.perProblem.push({ problemId: p.problem.id, auroc: a, correct: pos.length, incorrect: neg.length });
    const byId = p.pairs.length > 0 ? new Map(p.responses.map((r) => [r.response.id, r])) : null;
    for (const pair of p.pairs) {
      out.pairsChecked++;
      const c = byId!.get(pair.chosenId);
      const j = byId!.get(pair.rejectedId);
      const cMin = c?.minScore ?? null;
      const jMin = j?.minScore ?? null;
      const cRew = c?.reward ?? null;
      const jRew = j?.reward ?? null;
      const byPrm = cMin !== null && jMin !== null && cMin < jMin;
      const byReward = cRew !== null && jRew !== null && cRew < jRew;
      if (byPrm || byReward) {
        out.invertedPairs.push({
          problemId: p.problem.id,
          chosenId: pair.chosenId,
          rejectedId: pair.rejectedId,
          chosenMin: cMin,
          rejectedMin: jMin,
          chosenReward: cRew,
          rejectedReward: jRew,
          byPrm,
          byReward,
          chosenMinStepIndex: c?.minStepIndex ?? null,
        });
      }
    }
  }
  out.correctLow.sort((a, b) => a.minScore - b.minScore);
  out.incorrectHigh.sort((a, b) => b.minScore - a.minScore);
  out.perProblem.sort((a, b) => a.auroc - b.auroc);
  out.runAuroc = auroc(allPos, allNeg);
  if (out.perProblem.length > 0) out.meanProblemAuroc = out.perProblem.reduce((s, x) => s + x.auroc, 0) / out.perProblem.length;
  return out;
}
