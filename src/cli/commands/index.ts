import type { Command } from '../command';
import { validate } from './validate';

/** Every sub-command, in the order `hsstar --help` lists them. */
export const commands: Command[] = [validate];
