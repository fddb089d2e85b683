/**
 * Runs inside VS Code's extension host (served or desktop): VS Code loads a suite's
 * bundled index.js from the extension tests path and awaits its `run()`. Each suite is a
 * folder of `*.test.js` bundles beside that index; mocha runs them against the real `vscode`.
 * Results also go to the file named by HSSTAR_HOST_TEST_REPORT, because the served
 * extension host's console is not the outer runner's.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function runSuiteFolder(folder: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.HSSTAR_HOST_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(folder).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(join(folder, file));
  }
  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const report = process.env.HSSTAR_HOST_TEST_REPORT;
      if (report) writeFileSync(report, JSON.stringify({ failures, outcomes }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
    runner.on('fail', (t, err: Error) =>
      outcomes.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }),
    );
  });
}
