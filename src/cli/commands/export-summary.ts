import type { ExportResult } from '../../pipeline/export-run';

/** What an export wrote, what it left out, and the commands that train on it. */
export function exportSummaryLines(result: ExportResult): string[] {
  const m = result.manifest;
  const t = m.tokens;
  const l = m.leftOut;
  const lines = [`wrote ${m.pairs} pairs to ${result.file}`];
  if (result.evalFile && m.eval) lines.push(`wrote ${m.eval.pairs} evaluation pairs (${m.eval.problems.length} problems held out) to ${result.evalFile}`);
  for (const c of result.companions) lines.push(`wrote ${c}`);
  lines.push(`manifest: ${result.manifestFile}`);
  lines.push(
    `tokens (as the policy server counted them): prompt median ${t.prompt.median} / p95 ${t.prompt.p95} / max ${t.prompt.max}; ` +
      `prompt + longer response max ${t.pair.max}${t.uncounted ? ` (${t.uncounted} pairs without token counts)` : ''}`,
  );
  lines.push(
    `left out: ${l.truncated} truncated and ${l.noAnswer} answerless responses, ${l.ungraded} ungraded; ${l.boundaryWithoutPairs} Boundary problems without a pair`,
  );
  for (const c of m.commands) {
    lines.push('', `train it, ${c.label}:`, c.command);
    if (c.note) lines.push(`(${c.note})`);
  }
  return lines;
}
