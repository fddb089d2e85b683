import type { CliIO } from '../io';
import type { PipelineEvent } from '../../pipeline/pipeline-events';
import type { Progress } from '../../pipeline/engine/progress';

function tokens(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

function figures(p: Progress, total: number): string {
  const parts = [`${p.done}/${total}`, `in flight ${p.inFlight}`, `failed ${p.failed}`];
  if (p.retried) parts.push(`retried ${p.retried}`);
  if (p.promptTokens + p.completionTokens > 0) parts.push(`tokens ${tokens(p.promptTokens + p.completionTokens)}`);
  if (p.costUsd > 0) parts.push(`$${p.costUsd.toFixed(4)}`);
  return parts.join('  ');
}

/**
 * Shows pipeline events on stderr: a redrawn bar on a terminal, plain lines otherwise (a
 * log file or CI gets one line per step and about every tenth of it).
 */
export function progressView(io: CliIO): (e: PipelineEvent) => void {
  const tty = io.stderr.isTTY === true;
  let lastTenth = -1;
  let lastDraw = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) io.stderr.write('\r\x1b[2K');
    barShown = false;
  };
  return (e) => {
    switch (e.kind) {
      case 'task-start':
        lastTenth = -1;
        clearBar();
        io.stderr.write(`${e.stage}: ${e.task}: ${e.total} to do\n`);
        return;
      case 'progress': {
        const share = e.total > 0 ? Math.min(1, (e.progress.done + e.progress.failed) / e.total) : 1;
        if (tty) {
          const now = Date.now();
          if (now - lastDraw < 80) return;
          lastDraw = now;
          const width = 24;
          const full = Math.round(share * width);
          io.stderr.write(`\r\x1b[2K${e.stage}: ${e.task} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${figures(e.progress, e.total)}`);
          barShown = true;
        } else {
          const tenth = Math.floor(share * 10);
          if (tenth > lastTenth && tenth < 10) {
            lastTenth = tenth;
            io.stderr.write(`${e.stage}: ${e.task}: ${figures(e.progress, e.total)}\n`);
          }
        }
        return;
      }
      case 'task-end':
        clearBar();
        io.stderr.write(`${e.stage}: ${e.task}: ${e.status}, ${figures(e.progress, e.total)}\n`);
        return;
      case 'log':
        clearBar();
        io.stderr.write(`${e.line}\n`);
        return;
    }
  };
}
