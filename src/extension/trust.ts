import * as vscode from 'vscode';

/**
 * Runs send requests, with your key, to the configured endpoints. In an untrusted
 * workspace a cloned repository could point those at its own server, so runs stay off
 * there; reviewing and editing a run's labels do not send anything and stay on.
 */
export const UNTRUSTED_EXPLANATION =
  'Runs are disabled in an untrusted workspace: its settings could send your API key to a server of its choosing. Trust the workspace (Manage Workspace Trust) to run; reviewing and editing still work.';

export function runsAllowed(): boolean {
  return vscode.workspace.isTrusted;
}

/** Shows the explanation and returns false when runs are not allowed. */
export function checkRunsAllowed(log: vscode.LogOutputChannel): boolean {
  if (runsAllowed()) return true;
  log.warn(UNTRUSTED_EXPLANATION);
  void vscode.window.showWarningMessage(UNTRUSTED_EXPLANATION, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
