import { join } from 'node:path';
import { regularSize } from './folder/index';
import { PROJECT_FILES } from './project-files';
import { CHECKPOINTED, type ProjectIndex } from './project-index';

/**
 * For a folder open read-only while another process writes it: reads what was appended
 * to the large logs since the last read (only the new bytes; a line still being written
 * waits for the next call), noting the problems whose responses or scores the new lines
 * touched in `touched`. 'reopen' when a log no longer holds what was read; else whether
 * anything was read.
 */
export async function catchUpLogs(index: ProjectIndex, touched: Set<string>): Promise<'reopen' | 'updated' | 'unchanged'> {
  let changed = false;
  index.touched = touched;
  try {
    for (const name of CHECKPOINTED) {
      const from = index.positions.get(name) ?? { offset: 0, line: 0 };
      const size = await regularSize(join(index.dir, PROJECT_FILES[name]));
      if (size < from.offset) return 'reopen';
      if (size === from.offset) continue;
      const before = from.offset;
      await index.scan(name, { repair: false, from });
      changed ||= index.positions.get(name)!.offset !== before;
    }
  } finally {
    index.touched = null;
  }
  return changed ? 'updated' : 'unchanged';
}
