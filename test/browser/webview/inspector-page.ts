import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectorHtml } from '../../../src/views/inspector-html';

/**
 * Serves the built inspector the way VS Code does: the same HTML shell and the same
 * Content-Security-Policy (from src/views/inspector-html.ts), the bundle from dist/ and the
 * stylesheet from media/, on 127.0.0.1. The page talks to a recorder in place of VS Code's
 * `acquireVsCodeApi`, so the test sees every message the page posts.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml' };

export interface InspectorPage {
  page: Page;
  origin: string;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<Array<{ kind: string; seq: number; intent: { type: string; [k: string]: unknown } }>>;
  /** Delivers a message to the page as the extension would. */
  post(message: unknown): Promise<void>;
  close(): Promise<void>;
}

export const NONCE = 'TestNonce0123456789abcdefABCDEF';

async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        inspectorHtml({
          cspSource: origin,
          nonce: NONCE,
          scriptUri: `${origin}/dist/webview.js`,
          styleUris: [`${origin}/dist/katex/katex.min.css`, `${origin}/media/inspector.css`],
        }),
      );
      return;
    }
    const path = normalize(join(ROOT, url.pathname));
    const allowed = [join(ROOT, 'dist'), join(ROOT, 'media')].some((root) => path.startsWith(root));
    if (!allowed) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let browser: Browser | null = null;

export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export async function openInspector(): Promise<InspectorPage> {
  const { server, origin } = await serve();
  const context = await (await launch()).newContext();
  // Anything but the local server is refused: model output must not reach the network.
  await context.route(/.*/, (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
  const page = await context.newPage();
  // A string, so the test's own compiler never rewrites the code that runs in the page.
  await page.addInitScript(`
    window.__posted = [];
    window.__violations = [];
    window.__state = null;
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      setState: (s) => { window.__state = s; },
      getState: () => window.__state,
    });
  `);
  await page.goto(origin);
  return {
    page,
    origin,
    posted: () => page.evaluate(() => (window as unknown as { __posted: never[] }).__posted),
    post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    close: async () => {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
