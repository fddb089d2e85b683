import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The script of a worker thread: `<name>.js` beside the bundle when running bundled (it ships
 * in the .vsix), else `<name>.ts` in `sourceDir()` (tests and benchmarks run under tsx, whose
 * loader the thread inherits through execArgv). `what` names it in the error when it is missing.
 */
export function workerScript(name: string, sourceDir: () => string, what: string): string {
  let entry: string;
  try {
    entry = typeof require === 'function' ? join(__dirname, `${name}.js`) : join(sourceDir(), `${name}.ts`);
  } catch (err) {
    throw new Error(`cannot locate the ${what}: ${(err as Error).message}`);
  }
  if (!existsSync(entry)) throw new Error(`${what} missing: ${entry}`);
  return entry;
}
