import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors';

/**
 * The parsed JSON of a small file the user may edit by hand, or undefined when there is no
 * such file; an unreadable file or one that is not JSON is an error naming it. Checking
 * the value against its schema is the caller's part, as each file names its own kind.
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`not valid JSON: ${(err as Error).message}`, file);
  }
}
