import { join } from 'node:path';
import { CHECKPOINT_FILE, fingerprint, readCheckpoint, writeCheckpoint } from './log/checkpoint';
import { encodeIndex, indexInto } from './log/index-columns';
import { PROJECT_FILES } from './project-files';
import { CHECKPOINTED, type ProjectIndex } from './project-index';

/**
 * The checkpoint of a project folder's index (`index.hsstar`, docs/store.md): taken on
 * open when it still matches the logs, written by the lock holder after appends.
 */

/** Fills the index from the checkpoint when it is usable (the logs are then read from where it ends); else says why not. */
export async function loadCheckpoint(index: ProjectIndex): Promise<{ used: true } | { used: false; reason: string }> {
  const { dir } = index;
  const read = await readCheckpoint(join(dir, CHECKPOINT_FILE), (name) => join(dir, name), [PROJECT_FILES.problems], indexInto);
  const value = 'value' in read ? read.value() : null;
  if (!('value' in read) || !value) return { used: false, reason: 'ignored' in read ? read.ignored : 'damaged' };
  index.problems = value.problems;
  index.table = value.table;
  index.failures = value.failures;
  for (const skipped of value.skipped) index.lineIssues.addLog({ invalid: [], invalidCount: 0, skipped });
  for (const name of ['problems', ...CHECKPOINTED] as const) {
    const f = read.logs[PROJECT_FILES[name]];
    if (f) index.positions.set(name, { offset: f.offset, line: f.line });
  }
  return { used: true };
}

/**
 * Writes the checkpoint of what the logs hold now (after a run, on close). Best effort:
 * without it the next open reads the logs whole, so a failure here loses nothing.
 */
export async function saveCheckpoint(index: ProjectIndex): Promise<void> {
  try {
    await writeCheckpointNow(index);
  } catch {
    // e.g. the folder went away, the disk is full, or index.hsstar is not a regular file: the next open reads the logs whole
  }
}

async function writeCheckpointNow(index: ProjectIndex): Promise<void> {
  const { dir } = index;
  const logs: Record<string, Awaited<ReturnType<typeof fingerprint>>> = {};
  for (const name of ['problems', ...CHECKPOINTED] as const) {
    const position = index.positions.get(name);
    if (!position) return;
    logs[PROJECT_FILES[name]] = await fingerprint(join(dir, PROJECT_FILES[name]), position, name === 'problems');
  }
  // Which texts are equal is asked of every Boundary problem on open: found out once, here, it is read from the checkpoint.
  for (const p of index.problems) index.knowTwins(index.table.rowsOf(p.id));
  await writeCheckpoint(join(dir, CHECKPOINT_FILE), { logs, ...encodeIndex(index.table, index.problems, index.failures, index.lineIssues.skippedInLogs) });
}
