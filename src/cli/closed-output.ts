import { fileErrorCause, isFileSystemError } from '../core/file-errors';

/**
 * The exit status after the reader of the output went away (`hsstar validate f | head -1`):
 * 128 + SIGPIPE (13), what a shell reports for a program a closed pipe stopped, e.g.
 * `seq 100000 | head -1` under `set -o pipefail`.
 */
export const CLOSED_PIPE_EXIT = 141;

/**
 * Watches the process's stdout and stderr. When one of them fails (EPIPE: the pipe's
 * reader is gone; or, say, ENOSPC for `> /dev/full`) the command is stopped as by Ctrl-C
 * (`stop`), later output to that stream is dropped, and `exitCode()` tells what the process
 * exits with: CLOSED_PIPE_EXIT for a closed pipe (quietly), 1 for another failure (one line
 * on stderr, if stderr itself still works).
 */
export function watchOutput(stop: () => void): { exitCode: () => number | undefined } {
  let code: number | undefined;
  for (const [stream, name] of [
    [process.stdout, 'standard output'],
    [process.stderr, 'standard error'],
  ] as const) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      const closedPipe = err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
      if (code === undefined) {
        code = closedPipe ? CLOSED_PIPE_EXIT : 1;
        if (!closedPipe && stream !== process.stderr) process.stderr.write(`hsstar: ${name}: ${isFileSystemError(err) ? fileErrorCause(err) : err.message}\n`);
      }
      stop();
    });
  }
  return { exitCode: () => code };
}
