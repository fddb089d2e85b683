import type { InspectorFocus, Intent } from '../src/protocol';

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
}
