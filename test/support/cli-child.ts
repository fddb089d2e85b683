import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
/** The built CLI, as users run it. */
export const BUILT_CLI = join(REPO, 'dist', 'cli.js');

/** Builds `dist/cli.js` when it is not there (`npm run test:e2e` builds it first). */
export function ensureBuiltCli(): void {
  if (!existsSync(BUILT_CLI)) spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

/**
 * `hsstar ARGS` as a child process of the built CLI, with PATH and the given variables only
 * (nothing of this process's environment, its config folders included).
 */
export function runBuiltCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => done({ code, out, err }));
  });
}
