/**
 * Splits a response into reasoning steps on the run's separator (docs/method.md, "Terms": a blank line).
 * Whitespace around a step is dropped and empty pieces are skipped, so "\n\n\n" between two
 * steps does not create a phantom step the PRM would have to score.
 */
export function splitSteps(text: string, separator = '\n\n'): string[] {
  const steps: string[] = [];
  for (const piece of text.split(separator)) {
    const step = piece.trim();
    if (step.length > 0) steps.push(step);
  }
  return steps;
}
