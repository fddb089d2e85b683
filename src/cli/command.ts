import type { CliIO } from './io';

/**
 * One `hsstar` sub-command. `run` returns the exit code (0 ok, 1 failure, 130 stopped);
 * usage errors throw UsageError (2). `signal` stops new work; `cut`, which fires only after
 * it, also cuts requests on the wire (what was received is still written).
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO, signal: AbortSignal, cut?: AbortSignal): Promise<number>;
}
