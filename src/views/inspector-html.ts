/**
 * The inspector's HTML shell. Model output never appears here: the page only loads the
 * bundled script, which renders payloads as text nodes. The Content-Security-Policy
 * allows scripts and style elements only with this page's nonce and resources only from
 * the webview's own origin (the extension's dist and media folders). The UI toolkit reads
 * the nonce from the `csp-nonce` meta element for the one style element it creates.
 */
export interface InspectorHtmlInput {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  title?: string;
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

export function inspectorHtml(input: InspectorHtmlInput): string {
  const nonce = attr(input.nonce);
  const styles = input.styleUris.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta property="csp-nonce" content="${nonce}">
    ${styles}
    <title>${attr(input.title ?? 'HS-STaR Inspector')}</title>
  </head>
  <body>
    <main id="app" data-testid="inspector" aria-label="Problem inspector"><p class="empty">Loading…</p></main>
    <script nonce="${nonce}" src="${attr(input.scriptUri)}"></script>
  </body>
</html>
`;
}

/** 32 random characters from the alphabet CSP nonces allow. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => alphabet[b % alphabet.length]).join('');
}
