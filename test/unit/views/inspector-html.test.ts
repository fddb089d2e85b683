import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { contentSecurityPolicy, inspectorHtml, makeNonce } from '../../../src/views/inspector-html';

test('the CSP allows scripts and style elements only with the nonce, and nothing inline or remote', () => {
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
  assert.match(csp, /connect-src 'none'/);
});

test('the page loads only the given script, with the nonce, and escapes what it is given', () => {
  const html = inspectorHtml({ cspSource: 'vscode-resource:', nonce: 'N0nce', scriptUri: 'x" onload="alert(1)', styleUris: ['a.css'] });
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="N0nce" src="x&quot; onload=&quot;alert\(1\)"><\/script>/);
  assert.match(html, /<meta property="csp-nonce" content="N0nce">/);
  assert.match(html, /<link rel="stylesheet" href="a.css">/);
});

test('nonces are 32 characters from the base64 alphabet and differ each time', () => {
  const a = makeNonce((n) => randomBytes(n));
  const b = makeNonce((n) => randomBytes(n));
  assert.match(a, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(a, b);
});
