import type { StepVerdict } from './step-labels';

/**
 * The human verdict in words, beside the grader's: a correct final answer reached through
 * a wrong step is called out, since that is what a step audit is for.
 */
export function describeVerdict(v: StepVerdict, stepCount: number, graderCorrect: boolean | null): string {
  const grader = graderCorrect === null ? 'not graded' : graderCorrect ? 'correct' : 'incorrect';
  switch (v.kind) {
    case 'error':
      return `steps: first error at step ${v.firstError + 1} of ${stepCount}; grader: ${grader}${graderCorrect ? ' (a correct answer through a wrong step)' : ''}`;
    case 'correct':
      return `steps: all ${stepCount} correct; grader: ${grader}${graderCorrect === false ? ' (correct steps, wrong final answer)' : ''}`;
    case 'incomplete':
      return `steps: ${v.rated} of ${stepCount} rated from the start, no error yet; grader: ${grader}`;
  }
}
