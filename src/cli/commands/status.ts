import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors';
import { PROJECT_FILES } from '../../store/project-files';
import { NotRegularFile } from '../../store/folder/index';
import type { Command } from '../command';
import { parseFlags, positionals, type FlagTable } from '../args';
import { ProjectStore, type RecoveryReport } from '../../store/project';
import { invalidLinesMessage } from '../../store/log/scan-log';
import { ProjectLock } from '../../store/lock';
import { hashFile } from '../../store/dataset/index';
import { stateOf } from '../../pipeline/derive-from-store';
import { statusReport, type StatusReport } from '../../pipeline/status-report';
import { budgetReport, budgetSummary, type BudgetSummary } from '../../core/insights/spend';
import { stepAuditReport, stepAuditLine, type StepAuditReport } from '../../core/insights/step-audit-report';
import { agreementOf, type Agreement } from '../../core/team/agreement';
import { resolveLabels } from '../../core/team/label-resolution';

export const statusFlags = {
  json: { type: 'boolean', default: false },
} satisfies FlagTable;

/** What `hsstar status` reports; `--json` prints it with the run's derived state merged in (see `statusJson`). */
export interface ProjectStatus {
  dir: string;
  dataset: { path: string; sha256: string; changed: boolean | null };
  problems: number;
  responses: { total: number; pre: number; re: number; truncated: number };
  graded: number;
  correct: number;
  prmScored: number;
  rewardScored: number;
  failures: number;
  events: number;
  budget: { N: number; presample: number; total: number };
  writer: { pid: number; host: string; since: string; alive: boolean } | null;
  recovery: RecoveryReport;
  /** Labels, phi values, plan and pairs, derived from the logs. */
  run: StatusReport;
  /** Responses, tokens, cost, failures and time per stage and label (the insights' budget view). */
  spend: BudgetSummary;
  /** Human step labels against the PRM (ProcessBench first-error accuracy, F1, step AUROC) and the audit queue's size. */
  stepAudit: StepAuditReport;
  /** Annotators, Cohen's kappa per pair, Krippendorff's alpha, and the conflicts to resolve. */
  agreement: Agreement;
}

/**
 * `--json`: `problems` is the per-problem list (id, label, labelSource, phiA, phiR,
 * responses, correct, …), `budget` has N, presample, spent and planned, `pairs` the pair count.
 */
export function statusJson(st: ProjectStatus): Record<string, unknown> {
  const { run, ...rest } = st;
  return { ...rest, ...run, problemCount: st.problems, budget: { ...st.budget, ...run.budget } };
}

async function collect(dir: string): Promise<ProjectStatus> {
  const { store, recovery } = await ProjectStore.open(dir, { write: false, invalidLines: 'report' });
  try {
    const s = store.settings;
    // Counted from the index's columns: no record per response.
    const { total, pre, re, truncated, graded, correct, prmScored, rewardScored } = store.responseTally();
    const responses = { total, pre, re, truncated };
    // The dataset may have moved or changed since init: say so, do not fail. A path to
    // something that is not a regular file (a device that never ends) is refused.
    const now = await hashFile(s.dataset.path).catch((err: unknown) => {
      if (err instanceof NotRegularFile) throw new UserError(`dataset.path: ${err.message}`, join(dir, PROJECT_FILES.settings));
      return null;
    });
    return {
      dir,
      dataset: { path: s.dataset.path, sha256: s.dataset.sha256, changed: now === null ? null : now !== s.dataset.sha256 },
      problems: store.problems().length,
      responses,
      graded,
      correct,
      prmScored,
      rewardScored,
      failures: store.failures().length,
      events: store.events().length,
      budget: { N: s.budget.N, presample: s.budget.presample, total: s.budget.N * store.problems().length },
      writer: await ProjectLock.holder(dir),
      recovery,
      ...derived(store),
    };
  } finally {
    await store.close();
  }
}

function derived(store: ProjectStore): Pick<ProjectStatus, 'run' | 'spend' | 'stepAudit' | 'agreement'> {
  const state = stateOf(store);
  return {
    run: statusReport(state, store.failures().length),
    spend: budgetSummary(state, store.failures()),
    stepAudit: stepAuditReport(state),
    agreement: agreementOf(resolveLabels(state.events), state.problems.map((p) => p.problem.id)),
  };
}

const fixed = (x: number | null) => (x === null ? 'undefined' : x.toFixed(3));

/** The team's lines: shown once two annotators have labelled. */
function agreementLines(a: Agreement): string[] {
  if (a.annotators.length < 2) return [];
  const lines = [`annotators ${a.annotators.join(', ')}; Krippendorff's alpha ${fixed(a.alpha)} over ${a.units} problems labelled by two or more`];
  for (const p of a.pairs) lines.push(`kappa     ${p.a} / ${p.b}: ${fixed(p.kappa)} (Cohen's, ${p.items} problems both labelled, ${(100 * p.observed).toFixed(0)}% the same)`);
  lines.push(
    a.conflicts.length === 0
      ? 'conflicts none'
      : `conflicts ${a.conflicts.length} to resolve (hsstar resolve DIR PROBLEM --as LABEL --reason TEXT): ${a.conflicts.slice(0, 20).join(', ')}${a.conflicts.length > 20 ? ', …' : ''}`,
  );
  return lines;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

/** Why Boundary responses are not in the pairs; Inlier/Outlier problems are left out by the method. */
function leftOutLine(l: StatusReport['leftOut']): string {
  return `left out  ${l.truncated} truncated and ${l.noAnswer} answerless responses of Boundary problems (never chosen, not rejected by default), ${l.ungraded} ungraded; ${l.boundaryWithoutPairs} Boundary problems without a pair`;
}

function render(st: ProjectStatus): string {
  const lines = [
    `project   ${st.dir}`,
    `dataset   ${st.dataset.path} (sha256 ${st.dataset.sha256.slice(0, 12)}…${st.dataset.changed === null ? ', file not found' : st.dataset.changed ? ', CHANGED since init' : ''})`,
    `problems  ${st.problems}`,
    `responses ${st.responses.total} of a budget of ${st.budget.total} (N = ${st.budget.N}, n_p = ${st.budget.presample}): ${st.responses.pre} pre-samples, ${st.responses.re} re-samples, ${st.responses.truncated} truncated`,
    `graded    ${st.graded} (${pct(st.correct, st.graded)} correct)`,
    `scored    ${st.prmScored} by the PRM, ${st.rewardScored} by the reward model`,
    `failures  ${st.failures}`,
    `events    ${st.events} curator events`,
    `labels    ${st.run.labels.boundary} boundary, ${st.run.labels.inlier} inlier, ${st.run.labels.outlier} outlier, ${st.run.labels.unlabelled} unlabelled (tau_l ${st.run.thresholds.tauLow}, tau_h ${st.run.thresholds.tauHigh})`,
    `plan      ${st.run.budget.planned} responses planned` + (st.run.budget.unspent ? `, ${st.run.budget.unspent} unspent (no Boundary problem)` : ''),
    `pairs     ${st.run.pairs}`,
    leftOutLine(st.run.leftOut),
    ...budgetReport(st.spend),
    stepAuditLine(st.stepAudit),
    ...agreementLines(st.agreement),
  ];
  if (st.writer) {
    lines.push(
      st.writer.alive
        ? `writer    process ${st.writer.pid}${st.writer.host ? ` on ${st.writer.host}` : ''} since ${st.writer.since}`
        : `writer    none (stale lock of process ${st.writer.pid}; the next writer takes it over)`,
    );
  }
  for (const t of st.recovery.torn) lines.push(`recovery  ${t.file}:${t.line}: torn last line (${t.bytes} bytes) ignored; the next writer cuts it`);
  for (const w of st.recovery.warnings) lines.push(`note      ${w}`);
  return lines.join('\n') + '\n';
}

export const status: Command = {
  name: 'status',
  summary: 'show what a project folder holds',
  usage: `Usage: hsstar status <dir> [--json]

Reads the project folder (without locking it, so it works while a run is writing) and
prints its problems, responses, grades, scores, failures and curator events.

Options:
  --json               print one JSON object instead of text`,
  async run(argv, io) {
    const { values, positionals: pos } = parseFlags(argv, statusFlags);
    const [dirArg] = positionals(pos, ['<dir>']);
    const st = await collect(resolve(io.cwd, dirArg!));
    io.stdout.write(values.json ? JSON.stringify(statusJson(st), null, 2) + '\n' : render(st));
    // Read, not changed: the counts above leave them out, and every writing command refuses until they are moved aside.
    if (st.recovery.invalid.length === 0) return 0;
    io.stderr.write(`hsstar status: ${invalidLinesMessage(st.recovery.invalid, st.recovery.invalid.length, st.dir)}\n`);
    return 1;
  },
};
