// Stands in for VS Code's webview host in the standalone page tests. Added as an init script,
// so it runs before the page's own: it records what the page posts (cloned, as VS Code's
// postMessage does), the state it keeps, and every CSP violation from the first byte on.
window.__posted = [];
window.__violations = [];
window.__state = null;
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`),
);
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  setState: (s) => {
    window.__state = s;
  },
  getState: () => window.__state,
});
