import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { testConfigEnv } from './user-config';

/**
 * A CLI's streams captured in memory, for running `main()` in-process. Endpoint approvals
 * go to the test process's own config folder unless `env` names one.
 */
export function captureIO(cwd = process.cwd(), given: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  const env = given.HSSTAR_CONFIG_DIR || given.XDG_CONFIG_HOME ? given : testConfigEnv(given);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return { stdout, stderr, stdin: new PassThrough(), env, cwd, out: () => out, err: () => err };
}

/** Runs one `hsstar` invocation in-process and returns its exit code and output. */
export async function runCli(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(cwd, env);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
