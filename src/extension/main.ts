import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onConfigChange, reviewAuthor, treePageSize } from './config';
import type { Ctx } from './ctx';
import { ApiKeys } from './secrets';
import { Session, defaultAuthor } from './session';
import { StatusItem } from './status';
import { QuestionTree } from './tree';
import type { ExtensionSettings } from '../views/extension-settings';

type Parts = typeof import('./parts');
let parts: Parts | null = null;

/** The lazy part is a second bundle beside this one, required on first use. */
function loadParts(): Parts {
  return (parts ??= require(join(__dirname, 'extension-parts.js')) as Parts);
}

/** Command ids, as the manifest declares them; handlers live in commands.ts. */
const COMMAND_IDS = [
  'hsstar.newRun',
  'hsstar.openRun',
  'hsstar.runRde',
  'hsstar.resample',
  'hsstar.buildPairs',
  'hsstar.exportDpo',
  'hsstar.setThresholds',
  'hsstar.setApiKey',
  'hsstar.openDemo',
  'hsstar.openProblem',
  'hsstar.overrideLabel',
  'hsstar.markReviewed',
  'hsstar.resampleProblem',
  'hsstar.sortBy',
  'hsstar.filter',
  'hsstar.clearFilter',
  'hsstar.showMore',
  'hsstar.cancelRun',
  'hsstar.showLog',
  'hsstar.showInsights',
  'hsstar.batchExport',
  'hsstar.batchImport',
  'hsstar.trustEndpoints',
] as const;

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
      const dir = context.workspaceState.get<string>(LAST_RUN);
      if (!dir || session.dir || !existsSync(join(dir, 'hsstar.json'))) return;
      try {
        await session.open(dir);
      } catch (err) {
        log.warn(`could not reopen the last run ${dir}: ${String(err)}`);
      }
    })());
  if (tree.view.visible) void restore();

  context.subscriptions.push(
    log,
    session,
    tree,
    status,
    session.onDidChange(() => {
      if (session.dir) void context.workspaceState.update(LAST_RUN, session.dir);
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
        return commands[id]!(ctx, ...args);
      }),
    ),
  );
  log.info('HS-STaR Curator activated');
  return { ctx: async () => (await load()).ctx };
}

export function deactivate(): void {}
