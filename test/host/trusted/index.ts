// Entry VS Code calls for the suite that runs in a trusted workspace.
import { runSuiteFolder } from '../run-mocha';

export function run(): Promise<void> {
  return runSuiteFolder(__dirname);
}
