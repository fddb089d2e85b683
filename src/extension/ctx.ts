import * as vscode from 'vscode';
import { UserError } from '../core/errors';
import type { ExtensionSettings } from '../views/extension-settings';
import type { Inspector } from './inspector';
import type { Runner } from './runs';
import type { ApiKeys } from './secrets';
import type { Session } from './session';
import type { StatusItem } from './status';
import type { QuestionTree } from './tree';
import type { WorkspaceRuns } from './workspace-runs';

/** What every command gets: the open run and the extension's parts. */
export interface Ctx {
  readonly extensionUri: vscode.Uri;
  readonly storageUri: vscode.Uri;
  readonly session: Session;
  readonly tree: QuestionTree;
  readonly inspector: Inspector;
  readonly runner: Runner;
  readonly keys: ApiKeys;
  readonly status: StatusItem;
  readonly workspaceRuns: WorkspaceRuns;
  readonly log: vscode.LogOutputChannel;
  config(): ExtensionSettings;
  /** Logs and shows an error; UserErrors keep their `where`, others get the log pointer. */
  fail(err: unknown): void;
}

export function failWith(log: vscode.LogOutputChannel): (err: unknown) => void {
  return (err) => {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof UserError) log.error(message);
    else log.error(err instanceof Error ? (err.stack ?? message) : message);
    void vscode.window.showErrorMessage(`HS-STaR: ${message}`, 'Show Log').then((c) => {
      if (c) log.show();
    });
  };
}
