import type { CliIO } from './io';

/** One `hsstar` sub-command. `run` returns the exit code (0 ok, 1 failure); usage errors throw UsageError (2). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO, signal: AbortSignal): Promise<number>;
}
