import type { CliIO } from '../../../src/cli/io';
import { captureIO as capture } from '../../support/cli-capture';

/** A CliIO whose output the test can read back. */
export function captureIO(cwd = process.cwd()): { io: CliIO; out: () => string; err: () => string } {
  const io = capture(cwd);
  return { io, out: io.out, err: io.err };
}
