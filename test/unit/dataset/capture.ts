import { PassThrough } from 'node:stream';
import type { CliIO } from '../../../src/cli/io';

/** A CliIO whose output the test can read back. */
export function captureIO(cwd = process.cwd()): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += String(d)));
  stderr.on('data', (d) => (e += String(d)));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd }, out: () => o, err: () => e };
}
