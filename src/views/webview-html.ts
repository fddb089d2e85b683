/**
 * The HTML shell of every HS-STaR webview (the inspector and the insights panel). No run
 * data appears here: the page only loads bundled scripts, which render what the extension
 * posts as text nodes. The Content-Security-Policy allows scripts and style elements only
 * with this page's nonce and resources only from the webview's own origin (the extension's
 * dist and media folders). The UI toolkit reads the nonce from the `csp-nonce` meta element
 * for the one style element it creates.
 */
export interface WebviewHtmlInput {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  nonce: string;
  title: string;
  /** The `<main>` element the bundle renders into: its test id and accessible name. */
  root: { testId: string; ariaLabel: string };
  styles: string[];
  /** Loaded in this order, each with the nonce: the bundle comes last. */
  scripts: string[];
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function webviewHtml(input: WebviewHtmlInput): string {
  const nonce = attr(input.nonce);
  const styles = input.styles.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n    ');
  const scripts = input.scripts.map((u) => `<script nonce="${nonce}" src="${attr(u)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta property="csp-nonce" content="${nonce}">
    ${styles}
    <title>${attr(input.title)}</title>
  </head>
  <body>
    <main id="app" data-testid="${attr(input.root.testId)}" aria-label="${attr(input.root.ariaLabel)}"><p class="empty">Loading…</p></main>
    ${scripts}
  </body>
</html>
`;
}

/** 32 random characters from the alphabet CSP nonces allow. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => alphabet[b % alphabet.length]).join('');
}

/** What a webview page loads, as paths inside the extension folder. */
export interface WebviewPage {
  title: string;
  root: WebviewHtmlInput['root'];
  styles: string[];
  scripts: string[];
  /** The folders the page may load from (`localResourceRoots`). */
  folders: string[];
}

export const INSPECTOR_PAGE: WebviewPage = {
  title: 'HS-STaR Inspector',
  root: { testId: 'inspector', ariaLabel: 'Problem inspector' },
  styles: ['dist/katex/katex.min.css', 'media/inspector.css'],
  scripts: ['dist/webview.js'],
  folders: ['dist', 'media'],
};

export const INSIGHTS_PAGE: WebviewPage = {
  title: 'HS-STaR Insights',
  root: { testId: 'insights', ariaLabel: 'Run insights' },
  styles: ['dist/insights.css'],
  scripts: ['dist/insights.js'],
  folders: ['dist'],
};

/** A page's shell, its files turned into URIs by `asUri` (the panel's `webview.asWebviewUri`, a test server's origin). */
export function pageHtml(page: WebviewPage, input: { cspSource: string; nonce: string; asUri: (path: string) => string }): string {
  return webviewHtml({
    cspSource: input.cspSource,
    nonce: input.nonce,
    title: page.title,
    root: page.root,
    styles: page.styles.map((path) => input.asUri(path)),
    scripts: page.scripts.map((path) => input.asUri(path)),
  });
}
