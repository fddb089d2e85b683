import type { Command } from '../command';
import { validate } from './validate';
import { gradeCommand } from './grade';

/** Every sub-command, in the order `hsstar --help` lists them. */
export const commands: Command[] = [validate, gradeCommand];
