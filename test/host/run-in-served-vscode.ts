/**
 * Runs the extension-host suites (out/test-host/<suite>/) inside the served VS Code: the
 * workbench is opened in chromium with the extension development path and the extension
 * tests path in its payload, as VS Code's own browser integration tests do; the server's
 * Node extension host loads the extension from the repo and awaits the suite's `run()`.
 * The workbench reports the end through `codeAutomationExit(code)`.
 *
 *   node --import tsx test/host/run-in-served-vscode.ts [trusted|restricted …]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launchChromium,
  remoteUri,
  repoRoot,
  startServedVSCode,
  workbenchUrl,
} from '../vscode-server/served-vscode';

interface Report {
  failures: number;
  outcomes: { title: string; state: string; durationMs?: number; error?: string }[];
}

const SUITE_TIMEOUT_MS = Number(process.env.HSSTAR_HOST_SUITE_TIMEOUT_MS ?? 5 * 60_000);

async function runSuite(suite: string): Promise<boolean> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), `hsstar-host-${suite}-`));
  const workspace = join(scratch, 'workspace');
  const reportFile = join(scratch, 'report.json');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(workspace);
  const served = await startServedVSCode({
    trusted: suite !== 'restricted',
    env: { HSSTAR_HOST_TEST_REPORT: reportFile, HSSTAR_REPO_ROOT: repoRoot },
  });
  const browser = await launchChromium();
  const log: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
    page.on('console', (m) => log.push(`[console.${m.type()}] ${m.text()}`));
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      log.push(`[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    });
    await page.goto(
      workbenchUrl(served, workspace, [
        ['extensionDevelopmentPath', remoteUri(served, repoRoot)],
        ['extensionTestsPath', remoteUri(served, join(repoRoot, 'out/test-host', suite, 'index.js'))],
        ['skipWelcome', 'true'],
      ]),
    );
    const code = await Promise.race([
      exit,
      new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS)),
    ]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!existsSync(reportFile)) {
      console.error(`✗ ${suite}: no report (exit ${code}) after ${seconds} s`);
      console.error(log.slice(-40).join('\n'));
      console.error(served.output().slice(-4000));
      return false;
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    for (const o of report.outcomes) {
      const mark = o.state === 'passed' ? '✓' : o.state === 'pending' ? '-' : '✗';
      console.log(`  ${mark} [${suite}] ${o.title}${o.durationMs ? ` (${o.durationMs} ms)` : ''}`);
      if (o.error) console.log(o.error.replace(/^/gm, '      '));
    }
    const passed = report.outcomes.filter((o) => o.state === 'passed').length;
    console.log(`${suite}: ${passed} passed, ${report.failures} failed, exit ${code}, ${seconds} s`);
    return code === 0 && report.failures === 0 && passed > 0;
  } finally {
    await browser.close();
    await served.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['trusted', 'restricted'];
let ok = true;
for (const suite of suites) ok = (await runSuite(suite)) && ok;
process.exit(ok ? 0 : 1);
