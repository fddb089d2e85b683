import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GUIDELINES_FILE = 'GUIDELINES.md';
/** More than any labelling guide needs; a bigger file is cut with a note rather than refused. */
const MAX_CHARS = 100_000;

/** The run folder's labelling guidelines (GUIDELINES.md), as text; null when it has none. */
export function readGuidelines(dir: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(dir, GUIDELINES_FILE), 'utf8');
  } catch {
    return null;
  }
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n\n[… cut at ${MAX_CHARS} characters]` : text;
}
