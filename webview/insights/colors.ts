/**
 * Label colours for canvas drawing. Canvas needs concrete colours, so the theme's chart
 * colours are read once from the page's CSS variables, with fixed fallbacks for a plain page.
 */
export interface Palette {
  /** CSS colour strings, indexed like LABELS (inlier, outlier, boundary, unlabelled). */
  css: string[];
  /** The same colours packed for a Uint32 ImageData view (little-endian RGBA). */
  packed: Uint32Array;
  text: string;
  grid: string;
  line: string;
}

const FALLBACK = ['#3fb950', '#f85149', '#d29922', '#8b949e'];
const VARS = ['--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-orange', '--vscode-descriptionForeground'];

function parseColor(probe: HTMLElement, css: string): [number, number, number] {
  probe.style.color = css;
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(probe).color);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const css = VARS.map((v, i) => style.getPropertyValue(v).trim() || FALLBACK[i]!);
  const packed = new Uint32Array(css.length);
  css.forEach((c, i) => {
    const [r, g, b] = parseColor(probe, c);
    packed[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  });
  const text = style.getPropertyValue('--vscode-foreground').trim() || '#c9d1d9';
  probe.remove();
  return { css, packed, text, grid: 'rgba(128,128,128,0.25)', line: text };
}
