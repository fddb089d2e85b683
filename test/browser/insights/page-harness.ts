import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { InsightsPayload } from '../../../src/protocol-insights';
import { insightsHtml } from '../../../src/extension/insights/insights-html';

/**
 * The insights page as the panel serves it (same HTML shell and CSP, the built
 * dist/insights.js and .css) from a server on 127.0.0.1, in Debian's chromium; a small
 * host script stands in for VS Code's webview API and records what the page posts.
 */

export const root = new URL('../../../', import.meta.url).pathname;
export const artifacts = join(root, 'test-artifacts');

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
  let origin = '';
  const files: Record<string, [string, string]> = {
    '/insights.js': [join(root, 'dist/insights.js'), 'text/javascript'],
    '/insights.css': [join(root, 'dist/insights.css'), 'text/css'],
    '/host-stub.js': [new URL('./host-stub.js', import.meta.url).pathname, 'text/javascript'],
  };
  const server: Server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(insightsHtml({ cspSource: origin, nonce: 'testnonce0123456789abcdefABCDEF01', scriptUri: '/insights.js', styleUri: '/insights.css', preludeUris: ['/host-stub.js'] }));
      return;
    }
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const f = files[req.url ?? ''];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f[1] });
    res.end(readFileSync(f[0]));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    server.close();
    throw err;
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(origin + '/');
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
      await new Promise((ok) => server.close(ok));
    },
  };
}
