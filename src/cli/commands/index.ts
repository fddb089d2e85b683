import type { Command } from '../command';

/** Every sub-command, in the order `hsstar --help` lists them. */
export const commands: Command[] = [];
