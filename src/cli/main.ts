import { commands } from './commands/index';
import { processIO, type CliIO } from './io';
import { UsageError, UserError } from '../core/errors';
import { fileErrorLine, isFileSystemError } from '../core/file-errors';
import { closeSharedGradePool } from '../pipeline/grading/grade-pool';
import { closeSharedSamplingThread } from '../endpoints/sampling-thread/sampling-thread';

function help(io: CliIO): void {
  const lines = ['Usage: hsstar <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `hsstar <command> --help` for the options of one command.');
  io.stdout.write(lines.join('\n') + '\n');
}

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 bad usage, 130
 * interrupted. `signal` stops new work (Ctrl-C); `cut` also cuts the requests on the wire
 * (a second, deliberate Ctrl-C).
 */
export async function main(argv: string[], io: CliIO = processIO(), signal = new AbortController().signal, cut?: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout.write(`${process.env.HSSTAR_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`hsstar: unknown command '${name}'\n`);
    help(io);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io, signal, cut);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`hsstar ${name}: ${err.message}\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      io.stderr.write(`hsstar ${name}: ${err.message}\n`);
      return 1;
    }
    // A file that cannot be written or read (full disk, no permission, a bad path) is the
    // user's to fix: one line with the path and the cause. HSSTAR_DEBUG=1 adds the stack.
    if (isFileSystemError(err)) {
      io.stderr.write(`hsstar ${name}: ${fileErrorLine(err)}\n`);
      if (io.env.HSSTAR_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
      return 1;
    }
    io.stderr.write(`hsstar ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    // The grading threads finish what they hold, then stop (idle, they never keep the process
    // up); the sampling thread stops beside them.
    await Promise.all([closeSharedGradePool(), closeSharedSamplingThread()]);
  }
}
