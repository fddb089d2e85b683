import uPlot from 'uplot';
import type { InsightsPayload } from '../../src/protocol-insights';
import { h } from '../common/dom';
import type { Palette } from './colors';

type Calibration = InsightsPayload['calibration'];

/**
 * One small bar chart of phi_r per accuracy value: where the pre-samples' process scores
 * fall for the problems the model always, sometimes or never solved. The thresholds being
 * tried are drawn as vertical lines.
 */
export class HistogramStrip {
  readonly element: HTMLElement;
  private readonly plots: uPlot[] = [];
  private t: { tauLow: number; tauHigh: number };

  constructor(data: Calibration, private readonly palette: Palette) {
    this.t = { ...data.thresholds };
    this.element = h('div', { className: 'histograms', testId: 'histograms' });
    const centres = Array.from({ length: data.bins }, (_, i) => (i + 0.5) / data.bins);
    if (data.histograms.length === 0) this.element.append(h('p', { className: 'empty' }, 'No problem has graded pre-samples yet.'));
    for (const hist of data.histograms) {
      const total = hist.counts.reduce((a, b) => a + b, 0);
      const box = h(
        'figure',
        { className: 'histogram', testId: 'histogram' },
        h('figcaption', {}, `φ_a = ${hist.phiA.toFixed(2)}: ${total} problems`, hist.unscored ? ` (+${hist.unscored} unscored)` : ''),
      );
      this.element.append(box);
      const axis = { stroke: palette.text, grid: { show: false }, ticks: { stroke: palette.grid, width: 1 }, size: 28 };
      const plot = new uPlot(
        {
          width: 240,
          height: 140,
          legend: { show: false },
          cursor: { show: false },
          scales: { x: { time: false, range: [0, 1] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
          axes: [{ ...axis, splits: () => [0, 0.5, 1] }, { ...axis, size: 48, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000] }],
          series: [
            {},
            { fill: palette.css[2], stroke: palette.css[2], width: 0, paths: uPlot.paths.bars!({ size: [0.9, Infinity], align: 0 }), points: { show: false } },
          ],
          hooks: { draw: [(u) => this.drawThresholds(u)] },
        },
        [centres, hist.counts],
        box,
      );
      this.plots.push(plot);
    }
  }

  destroy(): void {
    for (const p of this.plots) p.destroy();
  }

  setThresholds(t: { tauLow: number; tauHigh: number }): void {
    if (t.tauLow === this.t.tauLow && t.tauHigh === this.t.tauHigh) return;
    this.t = { ...t };
    for (const p of this.plots) p.redraw(false, false);
  }

  private drawThresholds(u: uPlot): void {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = this.palette.line;
    ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
    ctx.lineWidth = uPlot.pxRatio;
    for (const v of [this.t.tauLow, this.t.tauHigh]) {
      const x = Math.round(u.valToPos(v, 'x', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  }
}
