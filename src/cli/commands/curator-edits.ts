import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors';
import type { CuratorEvent } from '../../core/schema/index';
import { activeEvents, relabel } from '../../core/state/derive';
import type { RunState } from '../../core/state/run-state';
import { stateOf } from '../../pipeline/derive-from-store';
import { Intent } from '../../protocol';
import { defaultAuthor } from '../../store/author';
import { ProjectStore } from '../../store/project';
import { describeEvent, eventForIntent, isEditIntent, type EventStamp } from '../../views/curator-intents';
import type { CliIO } from '../io';

/** `--author` of every curator command: who signs the events. */
export const authorFlag = { author: { type: 'string' } } as const;

/** The author of a command's events: `--author`, else `HSSTAR_AUTHOR`, else the OS user. */
export function authorOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return defaultAuthor(flag ?? env.HSSTAR_AUTHOR ?? '');
}

export function freshStamp(author: string): EventStamp {
  return { id: randomUUID(), at: new Date().toISOString(), author };
}

/** One edit asked for on the command line or by a line of an imported file. */
export interface RequestedEdit {
  /** Parsed by the same schema as the inspector's intents. */
  intent: unknown;
  stamp: EventStamp;
  /** Named in the error, e.g. `decisions.jsonl:4`. */
  where: string;
}

/**
 * Turns edits into events by the extension's own rules (`eventForIntent`), each checked
 * against the run as it stands after the ones before it. Throws on the first edit that
 * fails, naming it; nothing is written then.
 */
export function eventsForEdits(state: RunState, edits: readonly RequestedEdit[]): CuratorEvent[] {
  const events = [...state.events];
  const out: CuratorEvent[] = [];
  let current = state;
  for (const edit of edits) {
    const parsed = Intent.safeParse(edit.intent);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new UserError(`${i.path.map(String).join('.') || 'edit'}: ${i.message}`, edit.where);
    }
    if (!isEditIntent(parsed.data)) throw new UserError(`${parsed.data.type} is not an edit`, edit.where);
    const result = eventForIntent(parsed.data, current, edit.stamp);
    if (!result.ok) throw new UserError(result.error, edit.where);
    out.push(result.event);
    events.push(result.event);
    current = relabel({ ...current, events: activeEvents(events) });
  }
  return out;
}

/**
 * Opens the run without its sampling lock (so this works while `hsstar run` samples),
 * checks every edit, then appends all their events at once and prints them.
 */
export async function recordEdits(dirArg: string, io: CliIO, build: (state: RunState, store: ProjectStore) => RequestedEdit[]): Promise<CuratorEvent[]> {
  const { store } = await ProjectStore.open(resolve(io.cwd, dirArg), { write: false });
  try {
    const state = stateOf(store);
    const events = eventsForEdits(state, build(state, store));
    await store.appendEvents(events);
    for (const e of events) io.stdout.write(`${e.author}: ${describeEvent(e)}\n`);
    return events;
  } finally {
    await store.close();
  }
}
