// Runs the extension-host suites (bundled by build-host-tests.mjs) in desktop VS Code through
// @vscode/test-electron, which downloads VS Code: for machines with that access. The suites
// and their launch arguments come from .vscode-test.mjs; the same bundles run offline in the
// served VS Code with `npm run test:host`.
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import suites from '../.vscode-test.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;
for (const suite of suites) {
  const scratch = mkdtempSync(join(tmpdir(), `hsstar-electron-${suite.label}-`));
  const workspace = join(scratch, 'workspace');
  const userData = join(scratch, 'user-data');
  mkdirSync(workspace);
  mkdirSync(join(userData, 'User'), { recursive: true });
  // A fresh profile opens folders in Restricted Mode unless trust is switched off.
  const trusted = suite.launchArgs.includes('--disable-workspace-trust');
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': !trusted }));
  try {
    await runTests({
      version: suite.version,
      extensionDevelopmentPath: root,
      // The suite's index.js runs mocha over the *.test.js files beside it.
      extensionTestsPath: join(root, dirname(suite.files), 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userData, ...suite.launchArgs],
      // Key approvals go to the scratch folder, never the user's own config.
      extensionTestsEnv: { HSSTAR_HOST_TEST_REPORT: join(scratch, 'report.json'), HSSTAR_REPO_ROOT: root, XDG_CONFIG_HOME: join(scratch, 'config') },
    });
    console.log(`${suite.label}: passed`);
  } catch (err) {
    console.error(`${suite.label}: failed (${err instanceof Error ? err.message : err})`);
    failed = true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
