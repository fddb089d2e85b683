import type { Command } from '../command';
import { validate } from './validate';
import { gradeCommand } from './grade';
import { batchCommand } from './batch';
import { runCommand } from './run';
import { exportCommand } from './export';
import { demoCommand } from './demo';

/** Every sub-command, in the order `hsstar --help` lists them. */
export const commands: Command[] = [validate, gradeCommand, batchCommand, runCommand, exportCommand, demoCommand];
