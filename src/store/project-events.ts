import type { CuratorEvent } from '../core/schema/events';
import type { LineIssues, TornLine } from './log/scan-log';
import { appendCuratorEvents, eventFilesStamp, mergedInsertIndex, readCuratorEvents, sameStamp, type EventFilesStamp } from './curator-events';

/**
 * A project folder's curator events as a store holds them: every author's file merged,
 * read again only when a file changed, and appended without reading back what was just
 * written when nobody else wrote meanwhile.
 */
export class ProjectEvents {
  private eventList: CuratorEvent[] = [];
  /** The events files as last read: a reload with nothing changed reads nothing. */
  private eventsStamp: EventFilesStamp = new Map();
  private readonly eventWrites = new Set<Promise<unknown>>();

  constructor(
    private readonly dir: string,
    /** Where the events files' invalid lines and lines of unknown kinds are kept (shared with the logs'). */
    private readonly lineIssues: LineIssues,
  ) {}

  get list(): readonly CuratorEvent[] {
    return this.eventList;
  }

  /** The one place curator events are read: every author's file, merged (they are small, read whole). */
  async read(stamp?: EventFilesStamp): Promise<TornLine[]> {
    this.eventsStamp = stamp ?? (await eventFilesStamp(this.dir));
    const events = await readCuratorEvents(this.dir);
    this.eventList = events.events;
    this.lineIssues.setEvents(events);
    return events.torn;
  }

  /** Reads the curator events again (other processes may have added some); true if they changed. */
  async reload(): Promise<boolean> {
    const stamp = await eventFilesStamp(this.dir);
    if (sameStamp(stamp, this.eventsStamp)) return false;
    const before = this.eventList;
    await this.read(stamp);
    return this.eventList.length !== before.length || this.eventList.some((e, i) => e.id !== before[i]!.id);
  }

  /**
   * Appends curator events to their authors' files. Resolves once they are on disk; the
   * events are then read again, so they include what other writers added meanwhile.
   */
  async append(es: CuratorEvent[]): Promise<void> {
    if (es.length === 0) return;
    // Never written on top of a line nobody can read (hsstar repair moves it aside first).
    this.lineIssues.refuse(this.dir);
    const before = await eventFilesStamp(this.dir);
    const write = appendCuratorEvents(this.dir, es);
    this.eventWrites.add(write);
    let appended: Awaited<typeof write>;
    try {
      appended = await write;
    } finally {
      this.eventWrites.delete(write);
    }
    // When only these lines were added since the last read, they are placed without reading; else all is read again.
    const after = await eventFilesStamp(this.dir);
    const { sizes, events: written } = appended;
    const ours = new Set(sizes.keys());
    const onlyOurs =
      sameStamp(before, this.eventsStamp) &&
      sameStamp(after, before, ours) &&
      [...sizes].every(([f, s]) => (this.eventsStamp.has(f) ? this.eventsStamp.get(f)!.startsWith(`${s.before}:`) : s.before === 0) && after.get(f)?.startsWith(`${s.after}:`)) &&
      new Set(written.map((e) => e.id)).size === written.length &&
      written.every((e) => !this.eventList.some((x) => x.id === e.id));
    if (!onlyOurs) {
      this.eventsStamp = new Map();
      await this.reload();
      return;
    }
    const list = this.eventList.slice();
    for (const e of written) list.splice(mergedInsertIndex(list, e), 0, e);
    this.eventList = list;
    this.eventsStamp = after;
  }

  /** Waits for appends in flight (before the store closes). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.eventWrites]);
  }
}
