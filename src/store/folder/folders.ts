import { mkdir, readdir } from 'node:fs/promises';
import { entryStat, kindOf, NotRegularFile } from './open-regular';

const FOLDER_RULE = "a run folder's folders must be real folders, not links";

/** Refuses anything at `path` that is not a real folder (a link to one included). */
async function realFolder(path: string): Promise<boolean> {
  const s = await entryStat(path);
  if (!s) return false;
  if (!s.isDirectory()) throw new NotRegularFile(path, kindOf(s), FOLDER_RULE);
  return true;
}

/** Makes a folder inside a run folder unless it is there; a file or link in its place is refused. */
export async function makeFolder(path: string): Promise<void> {
  if (await realFolder(path)) return;
  try {
    await mkdir(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await realFolder(path);
  }
}

/** The names in a folder inside a run folder; none when it is missing; a file or link in its place is refused. */
export async function listFolder(path: string): Promise<string[]> {
  if (!(await realFolder(path))) return [];
  return readdir(path);
}
