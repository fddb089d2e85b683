/**
 * Starts the test-only VS Code (the VS Code 1.139.1 server inside code-server, on Node 24) on
 * 127.0.0.1 with fresh user-data and extensions folders, and launches Debian's chromium
 * against it. Used by the extension-host runner and the browser UI tests.
 * Install first: `node scripts/install-test-vscode.mjs`.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '../..');
const node24 = join(here, 'node24/node_modules/.bin/node');
// VS Code's own server as code-server ships it: run directly (not through code-server's
// wrapper) because only VS Code's CLI accepts --enable-smoke-test-driver, without which a
// built workbench ignores the extension development and tests paths of its payload.
const vscodeServer = join(here, 'node_modules/code-server/lib/vscode/out/server-main.js');

export interface ServedVSCodeOptions {
  /** false leaves Workspace Trust on, so a fresh profile opens folders in Restricted Mode. */
  trusted: boolean;
  /** Packaged extensions to install before the server starts. */
  vsixFiles?: string[];
  /** Extra environment for the server and so for its extension host. */
  env?: Record<string, string>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export interface ServedVSCode {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function testVSCodeInstalled(): boolean {
  return existsSync(node24) && existsSync(vscodeServer);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function baseEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Keep anything the server writes under XDG folders out of the real home.
  return { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), ...extra };
}

export async function startServedVSCode(options: ServedVSCodeOptions): Promise<ServedVSCode> {
  if (!testVSCodeInstalled()) throw new Error('test VS Code missing: run `node scripts/install-test-vscode.mjs`');
  const home = mkdtempSync(join(tmpdir(), 'hsstar-vscode-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': !options.trusted,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    // Keeps the built-in chat panel closed: less work on 2 cores, clearer screenshots.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...options.settings,
  };
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const env = baseEnv(home, options.env);
  const common = [
    '--user-data-dir', userDataDir, '--server-data-dir', join(home, 'server-data'),
    '--extensions-dir', extensionsDir, '--accept-server-license-terms',
  ];
  for (const vsix of options.vsixFiles ?? []) {
    await promisify(execFile)(node24, [vscodeServer, ...common, '--install-extension', vsix], { env });
  }

  const port = await freePort();
  const child: ChildProcess = spawn(
    node24,
    [vscodeServer, ...common, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
      '--enable-smoke-test-driver', '--disable-telemetry', ...(options.trusted ? ['--disable-workspace-trust'] : [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  // Should the test process end early, take the server's process group with it.
  const killGroup = () => {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killGroup);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start in 60 s:\n${output}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (${code}):\n${output}`));
    });
    const poll = setInterval(() => {
      if (output.includes('Extension host agent listening')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
  });

  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        // The server spawns extension hosts and file watchers: end the whole group it leads.
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
      process.off('exit', killGroup);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.HSSTAR_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** The workbench URL that opens a folder; `payload` carries development/test paths. */
export function workbenchUrl(served: ServedVSCode, folder: string, payload?: [string, string][]): string {
  const query = new URLSearchParams({ folder });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `${served.url}?${query.toString()}`;
}

/** A server-side path as the workbench names it (the remote authority is the page's host). */
export function remoteUri(served: ServedVSCode, path: string): string {
  return `vscode-remote://127.0.0.1:${served.port}${path}`;
}
