import { parseArgs } from 'node:util';

/** The flags of `hsstar run`. */
export const runFlags = {
  stage: { type: 'string', default: 'all' },
  'dry-run': { type: 'boolean', default: false },
  'request-timeout': { type: 'string' },
} as const;

/**
 * Whether `hsstar ARGV` is a run that may buy responses: the CLI then starts its sampling
 * thread before anything else. A run that cannot (a dry run, the pairs stage, help, bad
 * flags) says no, and a thread started for nothing only costs a little CPU.
 */
export function runMaySample(argv: readonly string[]): boolean {
  if (argv[0] !== 'run') return false;
  try {
    const { values } = parseArgs({ args: argv.slice(1), options: { ...runFlags, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return !values['dry-run'] && !values.help && values.stage !== 'pairs';
  } catch {
    return false;
  }
}
