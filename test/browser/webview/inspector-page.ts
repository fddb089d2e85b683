import type { Browser, Page } from 'playwright-core';
import { INSPECTOR_PAGE } from '../../../src/views/webview-html';
import { launchChromium } from '../../vscode-server/served-vscode';
import { HOST_STUB, servePage } from '../page-server';

/**
 * The built inspector served as VS Code serves it (../page-server.ts: the same shell and
 * Content-Security-Policy, the bundle from dist/ and the stylesheet from media/). The page
 * talks to a recorder in place of VS Code's `acquireVsCodeApi`, so the test sees every
 * message the page posts.
 */

export interface InspectorPage {
  page: Page;
  origin: string;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<Array<{ kind: string; seq: number; intent: { type: string; [k: string]: unknown } }>>;
  /** Delivers a message to the page as the extension would. */
  post(message: unknown): Promise<void>;
  /** Resolves once the page has announced `ready`, as the extension waits before it posts. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

let browser: Browser | null = null;

export async function launch(): Promise<Browser> {
  browser ??= await launchChromium();
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export async function openInspector(): Promise<InspectorPage> {
  const served = await servePage(INSPECTOR_PAGE);
  const origin = served.origin;
  const context = await (await launch()).newContext();
  // Anything but the local server is refused: model output must not reach the network.
  await context.route(/.*/, (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.addInitScript({ path: HOST_STUB });
  await page.goto(origin);
  return {
    page,
    origin,
    posted: () => page.evaluate(() => (window as unknown as { __posted: never[] }).__posted),
    post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    ready: async () => {
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ intent: { type: string } }> }).__posted.some((m) => m.intent.type === 'ready'));
    },
    close: async () => {
      await context.close();
      await served.close();
    },
  };
}
