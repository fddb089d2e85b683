import type {
  Problem,
  Response,
  Grade,
  LabelState,
  EffectiveLabel,
  Pair,
  RunSettings,
  CuratorEvent,
  LabelSource,
} from '../schema/index';
import type { Thresholds } from '../rde';
import type { BudgetPlan } from '../budget-plan';
import type { ProblemDecisions } from '../team/label-resolution';

/**
 * Everything derived from a project folder's logs: the single read model that the CLI's
 * `status`, the extension's tree and inspector, the insight views and the exports read.
 * It is recomputed from the logs (never stored), so a threshold change costs no request.
 */

/** One response as the curator sees it. */
export interface ResponseView {
  response: Response;
  /** Null until graded. */
  grade: Grade | null;
  /** The response split into steps with the run's separator. */
  steps: string[];
  /** PRM score per step; null until scored (or when the PRM protocol is `none`). */
  stepScores: number[] | null;
  /** S(r) = min of the step scores; null when not scored. */
  minScore: number | null;
  /** Index of the weakest step (where the PRM thinks the reasoning broke). */
  minStepIndex: number | null;
  /** Outcome reward model score, when one was configured. */
  reward: number | null;
}

export interface ProblemState {
  problem: Problem;
  /** By slot. From a store with a columnar index (ProjectStore) built the first time it is read: use responseCount to count. */
  responses: ResponseView[];
  /** How many responses (responses.length, without building them). */
  responseCount: number;
  /** Mean correctness over the pre-samples (slots < n_p); null before any is graded. */
  phiA: number | null;
  /** Mean S(r) over the pre-samples; null before any is scored. */
  phiR: number | null;
  label: LabelState;
  effective: EffectiveLabel;
  labelSource: LabelSource;
  /** Graded responses (all slots) and how many of them are correct. */
  graded: number;
  correct: number;
  reviewed: boolean;
  /** Pairs after curator edits (drop, swap, add, pin) are applied. */
  pairs: Pair[];
  /** The annotators' decisions and how they resolve (`core/team/label-resolution.ts`); absent when nobody decided. */
  team?: ProblemDecisions | undefined;
}

export interface RunState {
  settings: RunSettings;
  /** Problems in dataset order. */
  problems: ProblemState[];
  byId: ReadonlyMap<string, ProblemState>;
  counts: Record<EffectiveLabel, number>;
  /** Curator events that still apply (undone ones removed), in log order. */
  events: CuratorEvent[];
  /** Thresholds in force: the settings', unless a curator `thresholds` event changed them. */
  thresholds: Thresholds;
  /** False when the PRM protocol is `none`: RDE then falls back to accuracy only. */
  prmConfigured: boolean;
  budget: {
    N: number;
    presample: number;
    /** Responses bought so far (every slot of every problem). */
    spent: number;
    /** Responses the run will have when complete under the current labels. */
    planned: number;
    plan: BudgetPlan;
  };
  /** Every problem's pairs in export order (shuffled with the run's seed). */
  pairs: Pair[];
}
