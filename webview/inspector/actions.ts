import type { InspectorFocus, Intent } from '../../src/protocol';

/** What the views can ask the app to do; the app turns these into intents or view changes. */
export interface Actions {
  send(intent: Intent): void;
  navigate(direction: 'next' | 'prev'): void;
  askLabel(label: 'inlier' | 'outlier' | 'boundary'): void;
  /** Settles a conflict between annotators (a resolution event), after asking for a reason. */
  askResolve(label: 'inlier' | 'outlier' | 'boundary'): void;
  clearOverride(): void;
  toggleReviewed(): void;
  undo(): void;
  toggleHelp(): void;
  toggleExpanded(responseId: string): boolean;
  isExpanded(responseId: string): boolean;
  pickForCompare(responseId: string): void;
  compareSelection(): string | null;
  /** The response (and step) the inspector was opened at, if any. */
  focus(): InspectorFocus | null;
  /** The step the rating keys act on, if any; clicking a step puts it there. */
  stepCursor(): StepCursor | null;
  setStepCursor(responseId: string, step: number): void;
  rateStep(responseId: string, step: number, change: StepChange): void;
  toggleBadProblem(responseId: string): void;
  askNote(responseId: string, step: number): void;
}

/** One edit of a step's human label, as a key or a button asks for it. */
export type StepChange = { rating: 1 | 0 | -1 | null } | { firstError: true } | { toggleUnsure: true } | { note: string };

/** Where the step cursor is: the step the rating keys act on. */
export interface StepCursor {
  responseId: string;
  step: number;
}
