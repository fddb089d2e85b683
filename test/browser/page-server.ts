import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pageHtml, type WebviewPage } from '../../src/views/webview-html';
import { repoRoot } from '../vscode-server/served-vscode';

/**
 * Serves a built webview page the way VS Code does: the shell and Content-Security-Policy of
 * src/views/webview-html.ts, the page's files from its folders (dist/, media/), on
 * 127.0.0.1. `HOST_STUB` stands in for VS Code's webview API (add it as an init script).
 */
export const NONCE = 'TestNonce0123456789abcdefABCDEF';
export const HOST_STUB = fileURLToPath(new URL('./host-stub.js', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
};

export interface ServedPage {
  origin: string;
  close(): Promise<void>;
}

export async function servePage(page: WebviewPage): Promise<ServedPage> {
  let origin = '';
  const roots = page.folders.map((folder) => join(repoRoot, folder) + sep);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageHtml(page, { cspSource: origin, nonce: NONCE, asUri: (path) => `${origin}/${path}` }));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // Answered, so the browser logs no failed load in the page's console.
      res.writeHead(204).end();
      return;
    }
    const path = normalize(join(repoRoot, url.pathname));
    if (!roots.some((root) => path.startsWith(root))) {
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
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
