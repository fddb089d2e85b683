import { UserError } from '../core/errors';
import { readBoundedSync } from './folder/index';

/** More than any hand-edited settings file of this tool holds. */
export const JSON_FILE_MAX_BYTES = 4 << 20;

/**
 * The parsed JSON of a small file the user may edit by hand, or undefined when there is no
 * such file; an unreadable file, one that is not a regular file or larger than `maxBytes`,
 * or one that is not JSON is an error naming it. Checking the value against its schema is
 * the caller's part, as each file names its own kind. `follow` is for files outside any run
 * folder (the user's own configuration), where a link is the user's choice.
 */
export function readJsonFile(file: string, opts: { maxBytes?: number; follow?: boolean } = {}): unknown {
  let bytes: Buffer | undefined;
  try {
    bytes = readBoundedSync(file, { maxBytes: opts.maxBytes ?? JSON_FILE_MAX_BYTES, follow: opts.follow ?? false });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UserError(`not valid JSON: ${(err as Error).message}`, file);
  }
}
