import * as vscode from 'vscode';

/** Wires the extension; every capability lives in its own module. */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('HS-STaR', { log: true });
  context.subscriptions.push(output);
  output.info('HS-STaR Curator activated');
}

export function deactivate(): void {}
