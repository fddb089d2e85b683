import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hsstar.hsstar-curator';

describe('Restricted Mode (workspace not trusted)', () => {
  it('opens the test folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still activates, as the manifest declares limited support', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is loaded in Restricted Mode');
    assert.equal(extension.packageJSON.capabilities?.untrustedWorkspaces?.supported, 'limited');
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('refuses to start a run, and sends nothing', async () => {
    const dir = await vscode.commands.executeCommand<string | undefined>('hsstar.openDemo');
    assert.ok(dir && existsSync(join(dir, 'hsstar.json')), 'the demo run opens for review');
    const responsesBefore = readIfExists(join(dir, 'responses.jsonl'));
    const result = await vscode.commands.executeCommand<{ status: string; message?: string }>('hsstar.runRde');
    assert.equal(result?.status, 'failed');
    assert.match(result?.message ?? '', /untrusted/i);
    assert.equal(readIfExists(join(dir, 'responses.jsonl')), responsesBefore, 'no response was written');
  });
});

function readIfExists(file: string): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
