import * as vscode from 'vscode';
import { treePageSizeOf } from '../views/tree-page-size';

/**
 * Every `hsstar.*` setting is read here and nowhere else; parseExtensionSettings checks
 * them. In an untrusted workspace VS Code itself ignores the workspace's values of the
 * endpoint settings (the manifest lists them under `restrictedConfigurations`), so what
 * arrives here is the user's own choice.
 */
export function settingReader(): (key: string) => unknown {
  const cfg = vscode.workspace.getConfiguration('hsstar');
  return (key) => cfg.get(key);
}

/** The two settings needed before the rest of the extension is loaded. */
export function treePageSize(): number {
  return treePageSizeOf(settingReader()('tree.pageSize'));
}

export function reviewAuthor(): string {
  const v = settingReader()('review.author');
  return typeof v === 'string' ? v : '';
}

export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('hsstar')) listener();
  });
}
