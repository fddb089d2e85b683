import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The curator events on disk in a run folder, read straight from the files (the legacy
 * `events.jsonl`, then `events/<author>.jsonl` by name), each file in its line order: what
 * a test checks was really written, without going through the store.
 */
export function eventsOnDisk(dir: string): Array<Record<string, any>> {
  const files = [join(dir, 'events.jsonl')];
  const perAuthor = join(dir, 'events');
  if (existsSync(perAuthor)) files.push(...readdirSync(perAuthor).filter((n) => n.endsWith('.jsonl')).sort().map((n) => join(perAuthor, n)));
  return files
    .filter((f) => existsSync(f))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l))
    .filter((l) => l.kind === 'event')
    .map((l) => l.event);
}
