import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The script of a worker thread whose source is `src/<source>.ts`: `<its name>.js` beside
 * the bundle when running bundled (it ships in the .vsix), else the source itself (tests and
 * benchmarks run under tsx, whose loader the thread inherits through execArgv). `what` names
 * it in the error when it is missing.
 */
export function workerScript(source: string, what: string): string {
  let entry: string;
  try {
    // import.meta is read only from source (its folder is src/endpoints); it is empty in the bundle.
    entry = typeof require === 'function' ? join(__dirname, `${basename(source)}.js`) : join(dirname(dirname(fileURLToPath(import.meta.url))), `${source}.ts`);
  } catch (err) {
    throw new Error(`cannot locate the ${what}: ${(err as Error).message}`);
  }
  if (!existsSync(entry)) throw new Error(`${what} missing: ${entry}`);
  return entry;
}
