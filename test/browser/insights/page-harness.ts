import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { InsightsPayload } from '../../../src/protocol-insights';
import { INSIGHTS_PAGE } from '../../../src/views/webview-html';
import { launchChromium, repoRoot } from '../../vscode-server/served-vscode';
import { HOST_STUB, servePage } from '../page-server';

/**
 * The insights page as the panel serves it (../page-server.ts: same HTML shell and CSP,
 * the built dist/insights.js and .css) on 127.0.0.1, in Debian's chromium; the shared host
 * stub stands in for VS Code's webview API and records what the page posts.
 */

export const artifacts = join(repoRoot, 'test-artifacts');
const FRAME_TIMER = fileURLToPath(new URL('./frame-timer.js', import.meta.url));

export interface InsightsPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  render(payload: InsightsPayload): Promise<void>;
  posted(): Promise<Array<{ kind: string; seq: number; intent: Record<string, unknown> }>>;
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openInsightsPage(): Promise<InsightsPage> {
  const served = await servePage(INSIGHTS_PAGE);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await served.close();
    throw err;
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  await page.addInitScript({ path: HOST_STUB });
  await page.addInitScript({ path: FRAME_TIMER });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(served.origin + '/');
  await page.waitForFunction('window.__posted.some((m) => m.intent && m.intent.type === "ready")');
  return {
    page,
    errors,
    async render(payload) {
      await page.evaluate((p) => window.postMessage({ kind: 'render', payload: p }, '*'), payload);
    },
    posted: () => page.evaluate('window.__posted') as Promise<Array<{ kind: string; seq: number; intent: Record<string, unknown> }>>,
    violations: () => page.evaluate('window.__violations') as Promise<string[]>,
    async close() {
      await browser.close();
      await served.close();
    },
  };
}
