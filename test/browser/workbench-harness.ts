import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium, repoRoot, startServedVSCode, workbenchUrl, type ServedVSCode } from '../vscode-server/served-vscode';
import { eventsOnDisk } from '../support/event-files';

/**
 * What the workbench tests share: the packaged .vsix installed in the served VS Code, a
 * chromium page on its workbench with an empty folder open, and ways to find things in it
 * (webviews are nested iframes; the demo run's folder lies under the server's data).
 */

export const VSIX = join(repoRoot, 'out/hsstar-curator.vsix');
export const ARTIFACTS = join(repoRoot, 'test-artifacts');

export interface Workbench {
  served: ServedVSCode;
  browser: Browser;
  page: Page;
  workspace: string;
  /** Uncaught exceptions of the workbench page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Starts the served VS Code with the .vsix and opens its workbench on an empty folder, or on
 * `folder` (left in place); `log` gets the startup times.
 */
export async function openWorkbench(name: string, log?: (line: string) => void, folder?: string): Promise<Workbench> {
  assert.ok(existsSync(VSIX), `${VSIX} missing: run npm run package`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const workspace = folder ?? mkdtempSync(join(tmpdir(), `hsstar-${name}-workspace-`));
  let served: ServedVSCode | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await served?.stop();
    if (!folder) rmSync(workspace, { recursive: true, force: true });
  };
  try {
    let t = Date.now();
    served = await startServedVSCode({ trusted: true, vsixFiles: [VSIX] });
    log?.(`# .vsix installed and server started in ${Date.now() - t} ms`);
    t = Date.now();
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(workbenchUrl(served, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    log?.(`# chromium up and workbench shown in ${Date.now() - t} ms`);
    return { served, browser, page, workspace, pageErrors, close };
  } catch (err) {
    // Nothing is left running when the start fails half way.
    await close();
    throw err;
  }
}

/** Opens the HS-STaR view and builds the demo run from its welcome button; waits for its three groups. */
export async function openDemoRun(page: Page): Promise<void> {
  await page.locator('.activitybar [aria-label*="HS-STaR"]').first().click();
  const demoButton = page.getByRole('button', { name: 'Open Demo Run' });
  await demoButton.waitFor({ timeout: 30_000 });
  await demoButton.click();
  const rows = page.locator('.monaco-list-row');
  for (const group of ['Boundary', 'Inlier', 'Outlier']) await rows.filter({ hasText: group }).first().waitFor({ timeout: 60_000 });
}

/** A group's count in the Questions tree: a group row's accessible name is "<Group> group, <count> …". */
export async function groupCount(page: Page, name: string): Promise<number> {
  return Number((await page.locator(`.monaco-list-row[aria-label^="${name} group"]`).getAttribute('aria-label'))?.match(/group, (\d+)/)?.[1]);
}

export function findFile(dir: string, suffix: string): string | undefined {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (full.endsWith(suffix)) return full;
    if (statSync(full).isDirectory()) {
      const hit = findFile(full, suffix);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The curator events in the demo run's events files (the run folder is under the server's data). */
export function demoRunEvents(served: ServedVSCode): Array<Record<string, any>> {
  const settingsFile = findFile(dirname(served.userDataDir), join('demo-run', 'hsstar.json'));
  assert.ok(settingsFile, 'the demo run folder exists');
  return eventsOnDisk(dirname(settingsFile));
}

/** The webview frame that holds `selector` (webviews are nested iframes). */
export async function frameWith(page: Page, selector: string, timeoutMs = 30_000, failure = `no webview shows ${selector}`): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(failure);
}

export function inspectorFrame(page: Page): Promise<Frame> {
  return frameWith(page, '[data-testid="problem-id"]', 30_000, 'the inspector webview did not render a problem');
}

/** The id of the problem the inspector shows (its heading also holds a response-count badge). */
export async function shownProblemId(frame: Frame): Promise<string> {
  const text = await frame.locator('[data-testid="problem-id"]').innerText();
  return text.trim().split(/\s+/)[0]!;
}
