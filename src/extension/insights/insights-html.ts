import { contentSecurityPolicy } from '../../views/inspector-html';

/**
 * The insights panel's HTML shell, under the inspector's Content-Security-Policy: scripts
 * and styles only with this page's nonce or from the webview's own origin. No run data
 * appears here; the bundled script renders what the extension posts, as text nodes.
 */
export interface InsightsHtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Scripts loaded before the bundle with the same nonce (the standalone page test's host). */
  preludeUris?: string[];
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function insightsHtml(input: InsightsHtmlInput): string {
  const nonce = attr(input.nonce);
  const prelude = (input.preludeUris ?? []).map((u) => `<script nonce="${nonce}" src="${attr(u)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${attr(input.styleUri)}">
    <title>HS-STaR Insights</title>
  </head>
  <body>
    <main id="app" data-testid="insights" aria-label="Run insights"><p class="empty">Loading…</p></main>
    ${prelude}
    <script nonce="${nonce}" src="${attr(input.scriptUri)}"></script>
  </body>
</html>
`;
}
