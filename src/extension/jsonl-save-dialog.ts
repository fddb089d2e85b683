import * as vscode from 'vscode';

/**
 * Asks where to write a JSON Lines file, proposing `proposedPath`; undefined when the user
 * cancels. The dialog itself asks before replacing a file, so callers may write with force.
 */
export async function askJsonlTarget(title: string, proposedPath: string): Promise<string | undefined> {
  const target = await vscode.window.showSaveDialog({
    title,
    defaultUri: vscode.Uri.file(proposedPath),
    filters: { 'JSON Lines': ['jsonl'] },
  });
  return target?.fsPath;
}
