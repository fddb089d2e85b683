import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS } from './command-ids';
import { onConfigChange, reviewAuthor, treePageSize } from './config';
import type { Ctx } from './ctx';
import { ApiKeys } from './secrets';
import { Session, defaultAuthor } from './session';
import { StatusItem } from './status';
import { QuestionTree } from './tree';
import { WorkspaceRuns } from './workspace-runs';
import type { ExtensionSettings } from '../views/extension-settings';

type Parts = typeof import('./parts');
let parts: Parts | null = null;

/** The lazy part is a second bundle beside this one, required on first use. */
function loadParts(): Parts {
  return (parts ??= require(join(__dirname, 'extension-parts.js')) as Parts);
}

const INSPECTOR_VIEW_TYPE = 'hsstar.inspector';
/** The run folder last open in this workspace, reopened when the view or the inspector comes back. */
const LAST_RUN = 'hsstar.lastRun';

/**
 * Wires the parts together. Only the tree, the status item and the session shell load at
 * activation; commands, the inspector and the pipeline (schemas, HTTP clients) load on
 * first use. Returns a function giving the full context, for extension-host tests.
 */
export function activate(context: vscode.ExtensionContext): { ctx(): Promise<Ctx> } {
  const log = vscode.window.createOutputChannel('HS-STaR', { log: true });
  const session = new Session(log, () => defaultAuthor(reviewAuthor()), loadParts);
  const tree = new QuestionTree(session, treePageSize);
  const status = new StatusItem(session);
  const keys = new ApiKeys(context.secrets);
  const workspaceRuns = new WorkspaceRuns(log);
  let config: ExtensionSettings | null = null;

  let full: Promise<{ ctx: Ctx; commands: Parts['COMMANDS'] }> | null = null;
  const load = () =>
    (full ??= (async () => {
      const { Inspector, Runner, COMMANDS, readConfig, failWith } = loadParts();
      config ??= readConfig(log);
      const inspector = new Inspector(context.extensionUri, session, log, (id) => void tree.reveal(id));
      const ctx: Ctx = {
        extensionUri: context.extensionUri,
        storageUri: context.globalStorageUri,
        session,
        tree,
        inspector,
        runner: new Runner(session, keys, status, log),
        keys,
        status,
        workspaceRuns,
        log,
        config: () => config!,
        fail: failWith(log),
      };
      context.subscriptions.push(inspector, vscode.workspace.onDidGrantWorkspaceTrust(() => inspector.render()));
      return { ctx, commands: COMMANDS };
    })());

  let restoring: Promise<void> | null = null;
  const restore = () =>
    (restoring ??= (async () => {
      const last = context.workspaceState.get<string>(LAST_RUN);
      let dir = last && existsSync(join(last, 'hsstar.json')) ? last : undefined;
      if (!dir) {
        await workspaceRuns.ready;
        // One run in the workspace is the one to open; with several the view lists them.
        if (workspaceRuns.runs.length === 1) dir = workspaceRuns.runs[0]!.dir;
      }
      if (!dir || session.dir) return;
      try {
        await session.open(dir);
      } catch (err) {
        log.warn(`could not open the run ${dir}: ${String(err)}`);
      }
    })());
  if (tree.view.visible) void restore();
  // A workspace opened for the first time with one run in it (e.g. `code <run folder>`)
  // shows that run at once; later, VS Code restores the view and the run comes with it.
  void workspaceRuns.ready.then(async () => {
    if (session.dir || context.workspaceState.get(LAST_RUN) || workspaceRuns.runs.length !== 1) return;
    await restore();
    if (session.dir) await vscode.commands.executeCommand('hsstar.questions.focus');
  });

  context.subscriptions.push(
    log,
    session,
    tree,
    status,
    session.onDidChange(() => {
      if (session.dir) void context.workspaceState.update(LAST_RUN, session.dir);
    }),
    workspaceRuns,
    workspaceRuns.onDidChange(({ removed }) => {
      const dir = session.dir;
      if (!dir || !removed.includes(dir)) return;
      log.info(`the open run ${dir} was deleted; closing it`);
      void session.close().then(() => vscode.window.showInformationMessage(`HS-STaR: the run folder ${dir} was deleted, so it is closed.`));
    }),
    tree.view.onDidChangeVisibility((e) => {
      if (e.visible) void restore();
    }),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        await restore();
        await (await load()).ctx.inspector.deserializeWebviewPanel(panel, state);
      },
    }),
    onConfigChange(() => {
      if (config) config = loadParts().readConfig(log);
    }),
    ...COMMAND_IDS.map((id) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const { ctx, commands } = await load();
        return commands[id](ctx, ...args);
      }),
    ),
  );
  log.info('HS-STaR Curator activated');
  return { ctx: async () => (await load()).ctx };
}

/** Stops the grading threads and the sampling thread, if a run ever started them. */
export async function deactivate(): Promise<void> {
  await Promise.all([parts?.closeSharedGradePool(), parts?.closeSharedSamplingThread()]);
}
