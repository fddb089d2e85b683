import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * sha256 over every entry under `dir` as it is, links not followed: a link by its
 * target's name, a FIFO or device by its kind, a file by its bytes. Equal before and
 * after a command: the command changed nothing in the folder.
 */
export function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = lstatSync(p);
      h.update(`${relative(dir, p)}\0`);
      if (s.isSymbolicLink()) h.update(`link ${readlinkSync(p)}\0`);
      else if (s.isDirectory()) {
        h.update('dir\0');
        walk(p);
      } else if (s.isFile()) h.update(readFileSync(p));
      else h.update(`special ${s.mode}\0`);
    }
  };
  walk(dir);
  return h.digest('hex');
}
