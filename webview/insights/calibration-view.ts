import uPlot from 'uplot';
import {
  calibrationColumns,
  thresholdPreview,
  LABELS,
  type CalibrationColumns,
  type InsightsIntent,
  type InsightsPayload,
} from '../../src/protocol-insights';
import { h } from '../common/dom';
import { readPalette, type Palette } from './colors';
import { HistogramStrip } from './histograms';

type Calibration = InsightsPayload['calibration'];
type Which = 'tauLow' | 'tauHigh';

/** How close (CSS px) the pointer must be to grab a threshold line or pick a point. */
const GRAB_PX = 8;
const PICK_PX = 6;

const LABEL_NAMES = ['Inlier', 'Outlier', 'Boundary', 'Unlabelled'];

/**
 * The calibration scatter: every problem at (phi_a jittered, phi_r), coloured by the label
 * it would get under the thresholds being tried. The dots are written into one ImageData
 * per frame (50,000 fillRect calls are too slow to redraw while dragging); uPlot draws the
 * axes and grid and maps values to pixels.
 */
export class CalibrationView {
  readonly element: HTMLElement;
  private readonly cols: CalibrationColumns;
  private readonly labels: Uint8Array;
  private readonly t: { tauLow: number; tauHigh: number };
  private readonly palette: Palette;
  private readonly plot: uPlot;
  private readonly histograms: HistogramStrip;
  private readonly countCells: HTMLElement[] = [];
  private readonly planText = h('p', { className: 'plan', testId: 'plan' });
  private readonly statusText = h('p', { className: 'status', testId: 'cal-status', role: 'status' });
  private readonly inputs: Record<Which, HTMLInputElement>;
  private readonly apply: HTMLButtonElement;
  /** Dot centres in canvas pixels inside the plotting box; NaN for problems without phi_r. */
  private dotX = new Float32Array(0);
  private dotY = new Float32Array(0);
  private dotsFor = '';
  private offscreen = document.createElement('canvas');
  private image: ImageData | null = null;
  private dragging: Which | null = null;
  private moved = false;
  private frameQueued = false;
  /** Undo for what this view attached outside its own element (window listeners, observer). */
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly data: Calibration,
    private readonly send: (intent: InsightsIntent) => void,
  ) {
    this.cols = calibrationColumns(data);
    this.labels = new Uint8Array(data.ids.length);
    this.t = { ...data.thresholds };
    this.palette = readPalette();

    const plotBox = h('div', { className: 'scatter', testId: 'scatter' });
    this.inputs = { tauLow: this.numberInput('tauLow'), tauHigh: this.numberInput('tauHigh') };
    this.apply = h('button', { testId: 'apply', title: 'Record these thresholds in the run (a curator event)' }, 'Apply');
    this.apply.addEventListener('click', () => this.send({ type: 'apply-thresholds', tauLow: this.t.tauLow, tauHigh: this.t.tauHigh }));
    const reset = h('button', { className: 'secondary', testId: 'reset' }, 'Reset');
    reset.addEventListener('click', () => {
      Object.assign(this.t, this.data.thresholds);
      this.update();
    });

    const counts = h('table', { className: 'counts', testId: 'counts' });
    LABEL_NAMES.forEach((name, i) => {
      const cell = h('td', { className: 'num', testId: `count-${LABELS[i]}` });
      this.countCells.push(cell);
      const swatch = h('span', { className: 'swatch' });
      swatch.style.background = this.palette.css[i]!;
      counts.appendChild(h('tr', {}, h('th', {}, swatch, name), cell));
    });

    const unscored = data.phiR.filter((r) => r === null).length;
    const side = h(
      'aside',
      { className: 'cal-side' },
      counts,
      this.planText,
      h('label', {}, 'τ_l ', this.inputs.tauLow),
      h('label', {}, 'τ_h ', this.inputs.tauHigh),
      h('div', { className: 'buttons' }, this.apply, reset),
      this.statusText,
      h(
        'p',
        { className: 'hint' },
        'Drag a dashed line to try a threshold; click a dot to open its problem.',
        unscored > 0 ? ` ${unscored} problems have no process score and are not drawn.` : '',
        data.mode === 'accuracy-only' || !data.prmConfigured ? ' Accuracy alone decides the labels in this run, so the thresholds change nothing.' : '',
      ),
    );
    this.histograms = new HistogramStrip(data, this.palette);
    this.element = h(
      'section',
      { className: 'calibration', testId: 'calibration' },
      h('div', { className: 'cal-main' }, plotBox, side),
      h('h3', {}, 'Process score φ_r per accuracy φ_a'),
      this.histograms.element,
    );

    this.plot = new uPlot(this.options(640, 420), [[0, 1], [null, null]], plotBox);
    this.listen(this.plot.over);
    const resize = new ResizeObserver(() => {
      const width = Math.max(320, plotBox.clientWidth);
      if (width !== this.plot.width) this.plot.setSize({ width, height: Math.round(Math.min(520, Math.max(300, width * 0.6))) });
    });
    resize.observe(plotBox);
    this.cleanups.push(() => resize.disconnect());
    this.update();
  }

  /** Called when a new payload replaces this view. */
  destroy(): void {
    for (const undo of this.cleanups) undo();
    this.plot.destroy();
    this.histograms.destroy();
  }

  /** Thresholds being tried (for the host's test hooks and the Apply intent). */
  get thresholds(): { tauLow: number; tauHigh: number } {
    return { ...this.t };
  }

  private numberInput(which: Which): HTMLInputElement {
    const input = h('input', { testId: which === 'tauLow' ? 'tau-low' : 'tau-high', attrs: { type: 'number', min: '0', max: '1', step: '0.01' } });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (Number.isFinite(v)) this.setThreshold(which, v);
      this.update();
    });
    return input;
  }

  private options(width: number, height: number): uPlot.Options {
    const np = Math.max(1, this.data.presample);
    const axis = { stroke: this.palette.text, grid: { stroke: this.palette.grid, width: 1 }, ticks: { stroke: this.palette.grid, width: 1 } };
    return {
      width,
      height,
      legend: { show: false },
      cursor: { show: false, drag: { x: false, y: false } },
      scales: { x: { time: false, range: [-0.2, 1.2] }, y: { range: [-0.02, 1.02] } },
      axes: [
        { ...axis, label: 'accuracy φ_a (jittered)', splits: () => Array.from({ length: np + 1 }, (_, k) => k / np), values: (_u, s) => s.map((v) => v.toFixed(2)) },
        { ...axis, label: 'process score φ_r' },
      ],
      series: [{}, { label: 'problems', paths: () => null, points: { show: false } }],
      hooks: { draw: [(u) => this.drawDots(u), (u) => this.drawThresholds(u)] },
    };
  }

  private setThreshold(which: Which, value: number): void {
    const v = Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
    if (which === 'tauLow') this.t.tauLow = Math.min(v, this.t.tauHigh);
    else this.t.tauHigh = Math.max(v, this.t.tauLow);
  }

  /** Relabels every problem for the thresholds being tried and repaints: one frame of a drag. */
  private update(): void {
    performance.mark('insights-frame-start');
    const preview = thresholdPreview(this.cols, this.t, this.data, this.labels);
    preview.counts.forEach((n, i) => (this.countCells[i]!.textContent = String(n)));
    const p = preview.plan;
    this.planText.textContent =
      p.boundary === 0
        ? `No Boundary problem: the re-sampling budget of ${p.remaining} responses stays unspent.`
        : `Re-sampling: ${p.remaining} responses over ${p.boundary} Boundary problems: +${p.perBoundary} each` +
          (p.extraOne > 0 ? `, ${p.extraOne} of them +${p.perBoundary + 1}.` : '.');
    this.inputs.tauLow.value = this.t.tauLow.toFixed(3);
    this.inputs.tauHigh.value = this.t.tauHigh.toFixed(3);
    const pending = this.t.tauLow !== this.data.thresholds.tauLow || this.t.tauHigh !== this.data.thresholds.tauHigh;
    this.apply.disabled = !pending;
    this.statusText.textContent = pending
      ? `Trying τ_l ${this.t.tauLow.toFixed(3)}, τ_h ${this.t.tauHigh.toFixed(3)} (not applied).`
      : `Thresholds in force: τ_l ${this.t.tauLow.toFixed(3)}, τ_h ${this.t.tauHigh.toFixed(3)}.`;
    this.plot.redraw(false, false);
    this.histograms.setThresholds(this.t);
    performance.measure('insights-frame', 'insights-frame-start');
  }

  private scheduleUpdate(): void {
    if (this.frameQueued) return;
    this.frameQueued = true;
    requestAnimationFrame(() => {
      this.frameQueued = false;
      this.update();
    });
  }

  /** Dot positions depend only on the plot's size, so they are computed once per size. */
  private layoutDots(u: uPlot): void {
    const key = `${u.bbox.left},${u.bbox.top},${u.bbox.width},${u.bbox.height}`;
    if (key === this.dotsFor) return;
    this.dotsFor = key;
    const n = this.cols.phiA.length;
    this.dotX = new Float32Array(n);
    this.dotY = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      this.dotX[i] = u.valToPos(this.data.x[i]!, 'x', true) - u.bbox.left;
      const r = this.cols.phiR[i]!;
      this.dotY[i] = Number.isNaN(r) ? Number.NaN : u.valToPos(r, 'y', true) - u.bbox.top;
    }
    this.offscreen.width = Math.max(1, Math.round(u.bbox.width));
    this.offscreen.height = Math.max(1, Math.round(u.bbox.height));
    this.image = new ImageData(this.offscreen.width, this.offscreen.height);
  }

  private drawDots(u: uPlot): void {
    this.layoutDots(u);
    const img = this.image!;
    const w = img.width;
    const hgt = img.height;
    const px = new Uint32Array(img.data.buffer);
    px.fill(0);
    // Bigger dots for small runs; 2 px keeps 50,000 problems apart.
    const n = this.dotX.length;
    const css = n < 1_000 ? 5 : n < 10_000 ? 3 : 2;
    const size = Math.max(2, Math.round(css * uPlot.pxRatio));
    const half = size >> 1;
    const colors = this.palette.packed;
    for (let i = 0; i < this.dotX.length; i++) {
      const cy = this.dotY[i]!;
      if (Number.isNaN(cy)) continue;
      const x0 = Math.max(0, Math.round(this.dotX[i]!) - half);
      const y0 = Math.max(0, Math.round(cy) - half);
      const x1 = Math.min(w, x0 + size);
      const y1 = Math.min(hgt, y0 + size);
      const c = colors[this.labels[i]!]!;
      for (let y = y0; y < y1; y++) px.fill(c, y * w + x0, y * w + x1);
    }
    this.offscreen.getContext('2d')!.putImageData(img, 0, 0);
    u.ctx.drawImage(this.offscreen, u.bbox.left, u.bbox.top);
  }

  private drawThresholds(u: uPlot): void {
    const ctx = u.ctx;
    const { left, width } = u.bbox;
    ctx.save();
    ctx.lineWidth = Math.max(1, uPlot.pxRatio) * (this.dragging ? 2 : 1.5);
    ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.strokeStyle = this.palette.line;
    ctx.fillStyle = this.palette.line;
    ctx.font = `${11 * uPlot.pxRatio}px sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const which of ['tauLow', 'tauHigh'] as const) {
      const y = Math.round(u.valToPos(this.t[which], 'y', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      const name = which === 'tauLow' ? 'τ_l' : 'τ_h';
      ctx.fillText(`${name} ${this.t[which].toFixed(3)}`, left + width - 4 * uPlot.pxRatio, y - 3 * uPlot.pxRatio);
    }
    ctx.restore();
  }

  private listen(over: HTMLElement): void {
    const localY = (e: MouseEvent) => e.clientY - over.getBoundingClientRect().top;
    const nearest = (y: number): Which | null => {
      let best: Which | null = null;
      let bestDist = GRAB_PX;
      for (const which of ['tauLow', 'tauHigh'] as const) {
        const d = Math.abs(this.plot.valToPos(this.t[which], 'y') - y);
        if (d <= bestDist) [best, bestDist] = [which, d];
      }
      return best;
    };
    over.addEventListener('mousemove', (e) => {
      if (this.dragging) return;
      const grab = nearest(localY(e));
      over.style.cursor = grab ? 'ns-resize' : 'crosshair';
      // The dot under the pointer, named in the tooltip (title text is never markup).
      const rect = over.getBoundingClientRect();
      const i = grab ? -1 : this.pick(e.clientX - rect.left, e.clientY - rect.top);
      over.title =
        i < 0
          ? ''
          : `${this.data.ids[i]}: φ_a ${this.data.phiA[i]!.toFixed(2)}, φ_r ${this.cols.phiR[i]!.toFixed(3)}, ${LABEL_NAMES[this.labels[i]!]}`;
    });
    over.addEventListener('mousedown', (e) => {
      this.moved = false;
      this.dragging = nearest(localY(e));
      if (this.dragging) e.preventDefault();
    });
    const move = (e: MouseEvent) => {
      if (!this.dragging) return;
      this.moved = true;
      this.setThreshold(this.dragging, this.plot.posToVal(localY(e), 'y'));
      this.scheduleUpdate();
    };
    const up = () => {
      if (!this.dragging) return;
      this.dragging = null;
      this.scheduleUpdate();
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    this.cleanups.push(() => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    });
    over.addEventListener('click', (e) => {
      if (this.moved) return;
      const rect = over.getBoundingClientRect();
      const i = this.pick(e.clientX - rect.left, e.clientY - rect.top);
      if (i >= 0) this.send({ type: 'open-problem', problemId: this.data.ids[i]!, responseId: null, stepIndex: null });
    });
  }

  /** The dot under a CSS-pixel position in the plotting area, or -1. */
  private pick(x: number, y: number): number {
    const r = uPlot.pxRatio;
    let best = -1;
    let bestDist = (PICK_PX * r) ** 2;
    for (let i = 0; i < this.dotX.length; i++) {
      const dy = this.dotY[i]! - y * r;
      const dx = this.dotX[i]! - x * r;
      const d = dx * dx + dy * dy;
      if (d < bestDist) [best, bestDist] = [i, d];
    }
    return best;
  }
}
