// Stands in for VS Code's webview host: records what the page posts and any CSP violation.
window.__posted = [];
window.__violations = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  setState: () => {},
  getState: () => undefined,
});
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));

// Frame timestamps while a drag runs, to measure the frame rate the page keeps.
window.__startFrames = () => {
  window.__frames = [];
  window.__framesOn = true;
  const tick = (t) => {
    window.__frames.push(t);
    if (window.__framesOn) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};
window.__stopFrames = () => {
  window.__framesOn = false;
  const f = window.__frames;
  return f.slice(1).map((t, i) => t - f[i]);
};
