// Runs the extension-host suites (bundled by build-host-tests.mjs) in desktop VS Code through
// @vscode/test-electron, which downloads VS Code: for machines with that access. The same
// suites run offline in the served VS Code with `npm run test:host`.
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../.vscode-test.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;
for (const suite of config.suites) {
  const scratch = mkdtempSync(join(tmpdir(), `hsstar-electron-${suite.name}-`));
  const workspace = join(scratch, 'workspace');
  const userData = join(scratch, 'user-data');
  mkdirSync(workspace);
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': !suite.trusted }));
  try {
    await runTests({
      version: config.version,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, suite.tests),
      launchArgs: [workspace, '--user-data-dir', userData, '--disable-extensions', ...(suite.trusted ? ['--disable-workspace-trust'] : [])],
      extensionTestsEnv: { HSSTAR_HOST_TEST_REPORT: join(scratch, 'report.json'), HSSTAR_REPO_ROOT: root },
    });
    console.log(`${suite.name}: passed`);
  } catch (err) {
    console.error(`${suite.name}: failed (${err instanceof Error ? err.message : err})`);
    failed = true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
