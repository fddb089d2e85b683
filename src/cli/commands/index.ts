import type { Command } from '../command';
import { validate } from './validate';
import { init } from './init';
import { status } from './status';
import { gradeCommand } from './grade';
import { batchCommand } from './batch';
import { runCommand } from './run';
import { exportCommand } from './export';
import { demoCommand } from './demo';
import { labelStepsCommand } from './label-steps';
import { auditQueueCommand } from './audit-queue';
import { labelCommand } from './label';
import { reviewCommand } from './review';
import { pairCommand } from './pair';
import { undoCommand } from './undo';
import { trustCommand } from './trust';
import { resolveCommand } from './resolve';
import { roleCommand } from './role';
import { assignCommand } from './assign';
import { repairCommand } from './repair';

/** Every sub-command, in the order `hsstar --help` lists them. */
export const commands: Command[] = [init, status, validate, gradeCommand, batchCommand, runCommand, exportCommand, demoCommand, labelCommand, reviewCommand, pairCommand, undoCommand, resolveCommand, roleCommand, assignCommand, trustCommand, labelStepsCommand, auditQueueCommand, repairCommand];
