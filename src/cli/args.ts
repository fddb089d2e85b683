import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors';

export type FlagTable = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a sub-command's arguments against its flag table; adding a flag is one table entry.
 * Unknown flags and missing values are usage errors (exit code 2).
 */
export function parseFlags<T extends FlagTable>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify .*$/s, ''));
  }
}

/** Exactly `n` positionals, else a usage error naming what is missing. */
export function positionals(values: string[], names: string[]): string[] {
  if (values.length < names.length) throw new UsageError(`missing ${names.slice(values.length).join(', ')}`);
  if (values.length > names.length) throw new UsageError(`unexpected argument '${values[names.length]}'`);
  return values;
}
