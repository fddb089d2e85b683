// Entry VS Code calls for the suite that runs in Restricted Mode (workspace not trusted).
import { runSuiteFolder } from '../run-mocha';

export function run(): Promise<void> {
  return runSuiteFolder(__dirname);
}
