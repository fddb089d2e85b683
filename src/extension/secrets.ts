import * as vscode from 'vscode';

/**
 * API keys live in VS Code's SecretStorage (the OS keychain), never in settings, logs or the
 * project folder. A run gets the key through a process-local variable name that the
 * endpoint clients read like any other `apiKeyEnv`.
 */
export type KeyTarget = 'policy' | 'prm' | 'reward';
export const KEY_TARGETS: readonly KeyTarget[] = ['policy', 'prm', 'reward'];

const secretName = (target: KeyTarget) => `hsstar.apiKey.${target}`;

/** The variable name a run uses for a stored key; it exists only in the extension's memory. */
export const envNameFor = (target: KeyTarget) => `HSSTAR_VSCODE_${target.toUpperCase()}_KEY`;

export class ApiKeys {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(target: KeyTarget): Thenable<string | undefined> {
    return this.storage.get(secretName(target));
  }

  async set(target: KeyTarget, value: string): Promise<void> {
    if (value) await this.storage.store(secretName(target), value);
    else await this.storage.delete(secretName(target));
  }

  async has(target: KeyTarget): Promise<boolean> {
    return (await this.get(target)) !== undefined;
  }
}
