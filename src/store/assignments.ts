import { join } from 'node:path';
import { UserError } from '../core/errors';
import { Assignments } from '../core/schema/assignments';
import { writeFileAtomic } from './folder/index';
import { readJsonFile } from './json-file';

export const ASSIGNMENTS_FILE = 'assignments.json';
/** A team's assignments are a few lines per problem: far below this. */
const MAX_BYTES = 16 << 20;

/** The run's assignments, or null when nobody assigned reviews; a damaged file is an error naming it. */
export function readAssignments(dir: string): Assignments | null {
  const file = join(dir, ASSIGNMENTS_FILE);
  const raw = readJsonFile(file, { maxBytes: MAX_BYTES });
  if (raw === undefined) return null;
  const parsed = Assignments.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UserError(`not an assignments file: ${i ? `${i.path.join('.') || 'file'}: ${i.message}` : ''}`, file);
  }
  return parsed.data;
}

export async function writeAssignments(dir: string, a: Assignments): Promise<string> {
  const file = join(dir, ASSIGNMENTS_FILE);
  await writeFileAtomic(file, JSON.stringify(Assignments.parse(a), null, 2) + '\n');
  return file;
}
