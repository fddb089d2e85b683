import { join } from 'node:path';
import { readBoundedSync } from './folder/index';

export const GUIDELINES_FILE = 'GUIDELINES.md';
/** More than any labelling guide needs; a bigger file is cut with a note rather than refused. */
const MAX_CHARS = 100_000;
/** Enough bytes for MAX_CHARS characters of UTF-8; no more is ever read. */
const MAX_BYTES = MAX_CHARS * 4;

/**
 * The run folder's labelling guidelines (GUIDELINES.md), as text; null when it has none.
 * One that is not a regular file (a link, a device) is refused with an error naming it.
 */
export function readGuidelines(dir: string): string | null {
  const bytes = readBoundedSync(join(dir, GUIDELINES_FILE), { maxBytes: MAX_BYTES, over: 'cut' });
  if (bytes === undefined) return null;
  const text = bytes.toString('utf8');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n\n[… cut at ${MAX_CHARS} characters]` : text;
}
