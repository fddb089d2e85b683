/**
 * The line that tells where to see a run in VS Code. It holds because the extension
 * activates on a workspace that is or holds a run folder and opens the run (with several,
 * the HS-STaR view lists them).
 */
export function vscodeAdvice(dir: string): string {
  return `Review it in VS Code: code "${dir}"  (the HS-STaR view opens the run and lists its problems by label)`;
}
