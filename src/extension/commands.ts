import * as vscode from 'vscode';
import { Label } from '../core/schema/index';
import { missingSlotJobs } from '../pipeline/sample-slots';
import { sampleAndScore } from '../pipeline/rde-stage';
import { runPipeline, type StageChoice } from '../pipeline/run-pipeline';
import { parseInspectorFocus, type InspectorFocus } from '../protocol';
import { SORT_KEYS, type GroupId, type SortKey } from '../views/tree-model';
import type { EditResult } from '../views/curator-intents';
import type { CommandId } from './command-ids';
import type { Ctx } from './ctx';
import { exportDpo, exportPreview } from './export-dpo';
import { newRun, type NewRunInput } from './new-run';
import { openDemo } from './demo';
import { KEY_TARGETS, type KeyTarget } from './secrets';
import { showInsights } from './insights/insights-panel';
import { batchExportCommand, batchImportCommand } from './batch-commands';
import { auditNextCommand, labelStepsCommand } from './step-label-commands';
import { exportStepLabelsCommand } from './export-step-labels';
import { describeDestination } from '../core/key-destinations';

/**
 * Every command by id. Each takes its inputs as optional arguments (so tests and other
 * extensions can drive it without prompts) and asks only for what is missing. Handlers
 * return what they did; user-facing failures are shown and returned, not thrown.
 */
export type Handler = (ctx: Ctx, ...args: unknown[]) => unknown;

/** A problem id from an argument: the id itself or a tree node; else the inspector's or the selection's. */
function problemArg(ctx: Ctx, arg: unknown): string | null {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && 'problemId' in arg && typeof (arg as { problemId: unknown }).problemId === 'string') {
    return (arg as { problemId: string }).problemId;
  }
  const selected = ctx.tree.view.selection.find((e) => e.kind === 'problem');
  return ctx.inspector.currentProblem ?? (selected && selected.kind === 'problem' ? selected.problemId : null);
}

function report(ctx: Ctx, result: EditResult): EditResult {
  if (!result.ok) void vscode.window.showErrorMessage(result.error);
  return result;
}

function needRun(ctx: Ctx): boolean {
  if (ctx.session.state) return true;
  void vscode.window.showWarningMessage('No HS-STaR run is open: use “HS-STaR: Open Run” or “HS-STaR: New Run from Dataset”.');
  return false;
}

/** The run folders of the workspace in a quick pick (with a way out to any folder); else the folder dialog. */
async function pickRunFolder(ctx: Ctx): Promise<string | undefined> {
  await ctx.workspaceRuns.ready;
  const browse = async () =>
    (await vscode.window.showOpenDialog({ title: 'HS-STaR: open a run folder', canSelectFiles: false, canSelectFolders: true }))?.[0]?.fsPath;
  const runs = ctx.workspaceRuns.runs;
  if (runs.length === 0) return browse();
  const items: (vscode.QuickPickItem & { dir?: string })[] = [
    ...runs.map((r) => ({ label: r.label, description: r.dir === ctx.session.dir ? 'open now' : '', detail: r.dir, dir: r.dir })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: 'Browse for a run folder…' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'HS-STaR: open a run of this workspace', placeHolder: `${runs.length} run folder${runs.length === 1 ? '' : 's'} in this workspace` });
  if (!picked) return undefined;
  return picked.dir ?? browse();
}

async function runStage(ctx: Ctx, stage: StageChoice, title: string) {
  if (!needRun(ctx)) return { status: 'failed', message: 'No run is open.' };
  return ctx.runner.run(title, (stageCtx) => runPipeline(stageCtx, stage));
}

export const COMMANDS: Record<CommandId, Handler> = {
  'hsstar.newRun': async (ctx, arg) => {
    const input = (arg && typeof arg === 'object' ? arg : typeof arg === 'string' ? { dataset: arg } : {}) as NewRunInput;
    try {
      const folder = await newRun(input, ctx.config(), ctx.log);
      if (folder) await ctx.session.open(folder);
      return folder;
    } catch (err) {
      ctx.fail(err);
      return undefined;
    }
  },

  'hsstar.openRun': async (ctx, arg) => {
    let dir = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
    dir ??= await pickRunFolder(ctx);
    if (!dir) return undefined;
    try {
      await ctx.session.open(dir);
      await vscode.commands.executeCommand('hsstar.questions.focus');
      return dir;
    } catch (err) {
      ctx.fail(err);
      return undefined;
    }
  },

  'hsstar.runRde': (ctx) => runStage(ctx, 'rde', 'Run RDE (pre-sample, grade, score)'),
  'hsstar.resample': (ctx) => runStage(ctx, 'resample', 'Re-sample Boundary problems'),

  'hsstar.buildPairs': (ctx) => {
    if (!needRun(ctx)) return undefined;
    // Pairs are derived from the logs; building them is a re-derivation, no request.
    ctx.session.refresh();
    const state = ctx.session.state!;
    const message = exportPreview(state);
    ctx.log.info(`pairs: ${message}`);
    void vscode.window.showInformationMessage(message);
    return { pairs: state.pairs.length };
  },

  'hsstar.exportDpo': async (ctx, format, out, force) => {
    if (!needRun(ctx)) return undefined;
    try {
      const result = await exportDpo(ctx.session.state!, ctx.session.dir!, {
        format: typeof format === 'string' ? format : undefined,
        out: typeof out === 'string' ? out : undefined,
        force: force === true,
      });
      if (result) {
        ctx.log.info(`exported ${result.manifest.pairs} pairs to ${result.file}`);
        for (const c of result.manifest.commands) ctx.log.info(`train it, ${c.label}:\n${c.command}`);
        void vscode.window.showInformationMessage(`Exported ${result.manifest.pairs} pairs to ${result.file}`, 'Open').then((c) => {
          if (c) void vscode.window.showTextDocument(vscode.Uri.file(result.file));
        });
      }
      return result;
    } catch (err) {
      ctx.fail(err);
      return undefined;
    }
  },

  'hsstar.batchExport': (ctx, stage, out) => batchExportCommand(ctx, stage, out),
  'hsstar.batchImport': (ctx, file) => batchImportCommand(ctx, file),

  'hsstar.setThresholds': async (ctx, low, high) => {
    if (!needRun(ctx)) return undefined;
    const current = ctx.session.state!.thresholds;
    const read = async (value: unknown, name: string, initial: number) => {
      if (typeof value === 'number') return value;
      const text = await vscode.window.showInputBox({
        title: `HS-STaR: ${name}`,
        value: String(initial),
        validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1 ? null : 'A number from 0 to 1'),
      });
      return text === undefined ? undefined : Number(text);
    };
    const tauLow = await read(low, 'tau_l (Outlier below this process score)', current.tauLow);
    if (tauLow === undefined) return undefined;
    const tauHigh = await read(high, 'tau_h (Inlier above this process score)', current.tauHigh);
    if (tauHigh === undefined) return undefined;
    if (!(tauLow >= 0 && tauHigh <= 1 && tauLow <= tauHigh)) {
      void vscode.window.showErrorMessage(`Thresholds need 0 ≤ tau_l ≤ tau_h ≤ 1 (got ${tauLow}, ${tauHigh}).`);
      return undefined;
    }
    if (!ctx.session.canCurate) {
      void vscode.window.showErrorMessage('No run is open.');
      return undefined;
    }
    // A thresholds event relabels at once, from the logs, without any request.
    await ctx.session.append({ ...ctx.session.stamp(), type: 'thresholds', tauLow, tauHigh });
    return { tauLow, tauHigh };
  },

  /** Approves where the open run sends requests (and keys); `{ approve: true }` skips the confirmation. */
  'hsstar.trustEndpoints': async (ctx, options) => {
    if (!needRun(ctx)) return 0;
    const unapproved = await ctx.runner.unapprovedKeys();
    if (unapproved.length === 0) {
      void vscode.window.showInformationMessage('Every URL this run sends requests to is approved.');
      return 0;
    }
    const confirmed = (options as { approve?: unknown } | undefined)?.approve === true;
    if (!confirmed) {
      const pick = await vscode.window.showWarningMessage(
        'Send this run\'s requests (its problems, and your API keys where named) to these URLs?',
        { modal: true, detail: `${unapproved.map(describeDestination).join('\n')}\n\nThe run folder's settings name them; approve only URLs you know.` },
        'Approve',
      );
      if (pick !== 'Approve') return 0;
    }
    await ctx.runner.approveKeys(unapproved);
    return unapproved.length;
  },

  'hsstar.setApiKey': async (ctx, target, value) => {
    let t = typeof target === 'string' && (KEY_TARGETS as readonly string[]).includes(target) ? (target as KeyTarget) : undefined;
    if (!t) {
      const pick = await vscode.window.showQuickPick(
        KEY_TARGETS.map((k) => ({ label: k, detail: `API key for the ${k} endpoint` })),
        { title: 'HS-STaR: which endpoint’s key?' },
      );
      t = pick?.label;
      if (!t) return false;
    }
    let key = typeof value === 'string' ? value : undefined;
    if (key === undefined) {
      key = await vscode.window.showInputBox({ title: `HS-STaR: API key for ${t}`, password: true, prompt: 'Stored in the OS keychain through VS Code’s SecretStorage; empty removes it.', ignoreFocusOut: true });
      if (key === undefined) return false;
    }
    await ctx.keys.set(t, key.trim());
    ctx.log.info(`API key for ${t} ${key.trim() ? 'stored' : 'removed'} (SecretStorage)`);
    return true;
  },

  'hsstar.openDemo': async (ctx) => {
    try {
      const dir = await openDemo(ctx);
      if (dir) await ctx.session.open(dir);
      return dir;
    } catch (err) {
      ctx.fail(err);
      return undefined;
    }
  },

  /** `(problemId, { responseId, stepIndex? }?)`: the focus opens that response and marks that step. */
  'hsstar.openProblem': (ctx, arg, focusArg) => {
    const id = problemArg(ctx, arg);
    if (!id || !needRun(ctx)) return false;
    const problem = ctx.session.state!.byId.get(id);
    if (!problem) {
      void vscode.window.showErrorMessage(`No problem ${id} in this run.`);
      return false;
    }
    let focus: InspectorFocus | null = null;
    if (focusArg !== undefined && focusArg !== null) {
      const parsed = parseInspectorFocus(focusArg);
      if (!parsed.ok) {
        void vscode.window.showErrorMessage(`Open Problem: the focus argument is not { responseId, stepIndex? } (${parsed.error}).`);
        return false;
      }
      if (!problem.responses.some((r) => r.response.id === parsed.value.responseId)) {
        void vscode.window.showErrorMessage(`No response ${parsed.value.responseId} in problem ${id}.`);
        return false;
      }
      focus = parsed.value;
    }
    ctx.inspector.show(id, focus);
    void ctx.tree.reveal(id);
    return true;
  },

  'hsstar.overrideLabel': async (ctx, arg, labelArg, reasonArg) => {
    const id = problemArg(ctx, arg);
    if (!id || !needRun(ctx)) return undefined;
    let label = Label.safeParse(labelArg).data;
    if (!label) {
      const pick = await vscode.window.showQuickPick(
        Label.options.map((l) => ({ label: l })),
        { title: `HS-STaR: label for ${id}` },
      );
      label = Label.safeParse(pick?.label).data;
      if (!label) return undefined;
    }
    let reason = typeof reasonArg === 'string' ? reasonArg : undefined;
    if (reason === undefined) {
      reason = await vscode.window.showInputBox({
        title: `HS-STaR: why ${label}?`,
        prompt: 'A reason is required; it is kept in the run’s event log.',
        validateInput: (v) => (v.trim() ? null : 'A reason is required'),
        ignoreFocusOut: true,
      });
      if (reason === undefined) return undefined;
    }
    if (!reason.trim()) return report(ctx, { ok: false, error: 'A label override needs a reason.' });
    return report(ctx, await ctx.session.edit({ type: 'override-label', problemId: id, label, reason }));
  },

  'hsstar.markReviewed': async (ctx, arg, reviewed) => {
    const id = problemArg(ctx, arg);
    if (!id || !needRun(ctx)) return undefined;
    const current = ctx.session.state!.byId.get(id)?.reviewed ?? false;
    const value = typeof reviewed === 'boolean' ? reviewed : !current;
    return report(ctx, await ctx.session.edit({ type: 'mark-reviewed', problemId: id, reviewed: value }));
  },

  'hsstar.resampleProblem': async (ctx, arg, extra) => {
    const id = problemArg(ctx, arg);
    if (!id || !needRun(ctx)) return undefined;
    const p = ctx.session.state!.byId.get(id);
    if (!p) return undefined;
    const settings = ctx.session.state!.settings;
    const planned = ctx.session.state!.budget.plan.targets.get(id) ?? settings.budget.presample;
    const have = p.responses.length;
    const nextSlot = Math.max(have, ...p.responses.map((v) => v.response.slot + 1));
    // Fill the plan's target first; past it (or outside Boundary) buy what the curator asks, one request by default.
    const target = typeof extra !== 'number' && have < planned ? planned : nextSlot + (typeof extra === 'number' && extra > 0 ? Math.floor(extra) : settings.policy.nPerRequest);
    return ctx.runner.run(`Re-sample ${id}`, async (stageCtx) => {
      const jobs = missingSlotJobs([p.problem], (pid) => stageCtx.store.responsesOf(pid), () => target, settings.policy.nPerRequest);
      const steps = await sampleAndScore(stageCtx, 'resample', jobs);
      const status = stageCtx.signal?.aborted ? 'cancelled' : steps.some((s) => s.status === 'paused') ? 'paused' : 'completed';
      return { status, failed: steps.reduce((a, s) => a + s.progress.failed, 0) };
    });
  },

  'hsstar.sortBy': async (ctx, keyArg, descendingArg) => {
    let key = typeof keyArg === 'string' && (SORT_KEYS as readonly string[]).includes(keyArg) ? (keyArg as SortKey) : undefined;
    let descending = typeof descendingArg === 'boolean' ? descendingArg : undefined;
    if (!key) {
      const choices: Array<{ label: string; key: SortKey; descending: boolean }> = [
        { label: 'Accuracy φa, lowest first', key: 'phiA', descending: false },
        { label: 'Accuracy φa, highest first', key: 'phiA', descending: true },
        { label: 'Process score φr, lowest first', key: 'phiR', descending: false },
        { label: 'Process score φr, highest first', key: 'phiR', descending: true },
        { label: 'Id', key: 'id', descending: false },
      ];
      const pick = await vscode.window.showQuickPick(choices, { title: 'HS-STaR: sort problems by' });
      if (!pick) return undefined;
      key = pick.key;
      descending = pick.descending;
    }
    const options = { ...ctx.session.options, sort: key, descending: descending ?? false };
    ctx.session.setOptions(options);
    return options;
  },

  'hsstar.filter': async (ctx, textArg) => {
    let text = typeof textArg === 'string' ? textArg : undefined;
    if (text === undefined) {
      text = await vscode.window.showInputBox({ title: 'HS-STaR: filter problems', prompt: 'Text in the question or the id', value: ctx.session.options.filter });
      if (text === undefined) return undefined;
    }
    ctx.session.setOptions({ ...ctx.session.options, filter: text });
    return text;
  },

  'hsstar.clearFilter': (ctx) => {
    ctx.session.setOptions({ ...ctx.session.options, filter: '' });
    return true;
  },

  'hsstar.showMore': (ctx, group) => {
    if (typeof group === 'string') ctx.tree.showMore(group as GroupId);
  },

  'hsstar.cancelRun': (ctx) => ctx.runner.cancel(),
  'hsstar.showLog': (ctx) => ctx.log.show(),

  'hsstar.showInsights': (ctx) => showInsights(ctx),
  'hsstar.labelSteps': (ctx, response, labels, options) => labelStepsCommand(ctx, response, labels, options),
  'hsstar.auditNext': (ctx) => auditNextCommand(ctx),
  'hsstar.exportStepLabels': (ctx, format, out, force, neutral) => exportStepLabelsCommand(ctx, format, out, force, neutral),
};
