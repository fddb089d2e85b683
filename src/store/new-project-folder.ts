import { join } from 'node:path';
import { UserError } from '../core/errors';
import { Problem } from '../core/schema/problem';
import type { RunSettings } from '../core/schema/settings';
import { createExclusive, fsyncDir, makeFolder, makeRunFolder, openRegular, removeEntry, writeFileAtomic } from './folder/index';
import { writeGitFiles, type GitLogs } from './git-files';
import { ProjectLock, LOCK_FILE } from './lock';
import { PROJECT_FILES } from './project-files';
import { LOG_NAMES } from './project-index';

/** A project folder just made, holding its lock; `undo` removes what was made and releases the lock. */
export interface NewProjectFolder {
  lock: ProjectLock;
  problems: Problem[];
  /** Bytes of problems.jsonl. */
  problemsBytes: number;
  undo(): Promise<void>;
}

/**
 * Makes a project in `dir` (made if missing): settings snapshot, problems, empty logs, the
 * git files (`.gitattributes`, `.gitignore`; `gitLogs` says whether git tracks the run's
 * logs) and the lock. Refuses a folder that already holds a project's files. Every file
 * is made exclusively: nothing already there, a link included, is written through.
 */
export async function createProjectFolder(
  dir: string,
  checked: RunSettings,
  problems: Iterable<Problem> | AsyncIterable<Problem>,
  gitLogs: GitLogs,
): Promise<NewProjectFolder> {
  const present = new Set(await makeRunFolder(dir));
  const clash = [...Object.values(PROJECT_FILES), LOCK_FILE].filter((f) => present.has(f));
  if (clash.length > 0) {
    throw new UserError(`already holds a project (${clash.join(', ')}); choose an empty folder`, dir);
  }
  const lock = await ProjectLock.acquire(dir);
  const created: string[] = [];
  const undo = async () => {
    for (const f of created.reverse()) await removeEntry(f).catch(() => {});
    await lock.release();
  };
  try {
    const problemsPath = join(dir, PROJECT_FILES.problems);
    created.push(problemsPath);
    const fh = await openRegular(problemsPath, 'create');
    const list: Problem[] = [];
    let problemsBytes = 0;
    try {
      let batch: string[] = [];
      for await (const p of problems) {
        const valid = Problem.parse(p);
        list.push(valid);
        batch.push(JSON.stringify(valid) + '\n');
        if (batch.length >= 1000) {
          await fh.write(batch.join(''));
          batch = [];
        }
      }
      if (batch.length > 0) await fh.write(batch.join(''));
      await fh.sync();
      problemsBytes = (await fh.stat()).size;
    } finally {
      await fh.close();
    }
    for (const name of LOG_NAMES) {
      const path = join(dir, PROJECT_FILES[name]);
      created.push(path);
      await createExclusive(path, '');
    }
    for (const folder of [PROJECT_FILES.exports, PROJECT_FILES.eventsDir]) {
      await makeFolder(join(dir, folder));
      created.push(join(dir, folder));
    }
    if (!present.has('.gitattributes') && !present.has('.gitignore')) created.push(...(await writeGitFiles(dir, gitLogs)));
    // hsstar.json last: a folder without it is not a project, so a crash above leaves none.
    const settingsPath = join(dir, PROJECT_FILES.settings);
    created.push(settingsPath);
    await writeFileAtomic(settingsPath, JSON.stringify(checked, null, 2) + '\n');
    await fsyncDir(dir);
    return { lock, problems: list, problemsBytes, undo };
  } catch (err) {
    await undo();
    throw err;
  }
}
