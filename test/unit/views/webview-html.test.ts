import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, INSIGHTS_PAGE, INSPECTOR_PAGE, makeNonce, pageHtml, webviewHtml } from '../../../src/views/webview-html';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('the CSP allows scripts and style elements only with the nonce, and nothing inline or remote', () => {
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
  assert.match(csp, /connect-src 'none'/);
});

test('the page loads only the given script, with the nonce, and escapes what it is given', () => {
  const html = webviewHtml({
    cspSource: 'vscode-resource:',
    nonce: 'N0nce',
    title: 'T"<',
    root: { testId: 'inspector', ariaLabel: 'Problem inspector' },
    scripts: ['x" onload="alert(1)'],
    styles: ['a.css'],
  });
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="N0nce" src="x&quot; onload=&quot;alert\(1\)"><\/script>/);
  assert.match(html, /<meta property="csp-nonce" content="N0nce">/);
  assert.match(html, /<link rel="stylesheet" href="a.css">/);
  assert.match(html, /<title>T&quot;&lt;<\/title>/);
  assert.match(html, /<main id="app" data-testid="inspector" aria-label="Problem inspector">/);
});

test('each page loads its own files through asUri, every script with the nonce, from the folders it may read', () => {
  const asUri = (path: string) => `https://res.example/${path}`;
  const inspector = pageHtml(INSPECTOR_PAGE, { cspSource: 'https://res.example', nonce: 'N1', asUri });
  assert.deepEqual([...inspector.matchAll(/<script nonce="N1" src="([^"]+)">/g)].map((m) => m[1]), ['https://res.example/dist/webview.js']);
  assert.deepEqual([...inspector.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]), [
    'https://res.example/dist/katex/katex.min.css',
    'https://res.example/media/inspector.css',
  ]);
  const insights = pageHtml(INSIGHTS_PAGE, { cspSource: 'https://res.example', nonce: 'N2', asUri });
  assert.deepEqual([...insights.matchAll(/<script nonce="N2" src="([^"]+)">/g)].map((m) => m[1]), ['https://res.example/dist/insights.js']);
  assert.match(insights, /data-testid="insights" aria-label="Run insights"/);
  assert.match(insights, /<title>HS-STaR Insights<\/title>/);
  for (const page of [INSPECTOR_PAGE, INSIGHTS_PAGE]) {
    for (const file of [...page.scripts, ...page.styles]) {
      assert.ok(page.folders.includes(file.split('/')[0]!), `${file} lies in a folder the page may load from`);
    }
  }
  // The sources under media/ ship as they are; dist/ is built.
  assert.ok(existsSync(`${ROOT}media/inspector.css`));
});

test('nonces are 32 characters from the base64 alphabet and differ each time', () => {
  const a = makeNonce((n) => randomBytes(n));
  const b = makeNonce((n) => randomBytes(n));
  assert.match(a, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(a, b);
});
