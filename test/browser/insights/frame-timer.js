// Frame timestamps while a drag runs, to measure the frame rate the insights page keeps.
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
