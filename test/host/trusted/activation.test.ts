import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hsstar.hsstar-curator';

describe('activation', () => {
  it('runs in a real VS Code extension host', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the test workspace folder is open');
  });

  it('activates the extension without error', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('contributes the HS-STaR view container and the Questions view', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const views = extension.packageJSON.contributes.views.hsstar as { id: string }[];
    assert.ok(views.some((v) => v.id === 'hsstar.questions'));
    // Focusing the view only works when the workbench knows the contributed container.
    await vscode.commands.executeCommand('hsstar.questions.focus');
  });

  it('registers every command it contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const contributed = ((extension.packageJSON.contributes.commands ?? []) as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
