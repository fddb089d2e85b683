import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { nextAssigned, reviewedBy } from '../core/team/assign';
import { readAssignments } from '../store/assignments';
import type { CuratorEvent } from '../core/schema/index';
import type { RunState } from '../core/state/run-state';
import type { ProjectStore } from '../store/project';
import type { activeEvents, relabel } from '../core/state/derive';
import type { restateOf, stateOf } from '../pipeline/derive-from-store';
import type { EditIntent, EditResult, describeEvent, eventForIntent, lastUndoable } from '../views/curator-intents';
import { TreeModel, DEFAULT_TREE_OPTIONS, type TreeOptions } from '../views/tree-model';

/** The store, derivation and edit rules: loaded with the extension's lazy part (`parts.ts`) on first Open. */
export interface RunKit {
  ProjectStore: typeof ProjectStore;
  stateOf: typeof stateOf;
  restateOf: typeof restateOf;
  relabel: typeof relabel;
  activeEvents: typeof activeEvents;
  eventForIntent: typeof eventForIntent;
  describeEvent: typeof describeEvent;
  lastUndoable: typeof lastUndoable;
}

export interface SessionChange {
  previous: TreeModel | null;
  current: TreeModel | null;
}

/**
 * The open run: its project folder, the read model derived from its logs, and the tree
 * model over it. Commands, the tree and the inspector all read from here; every edit
 * appends an event and re-derives, so the log is the only truth.
 */
export class Session implements vscode.Disposable {
  private store: ProjectStore | null = null;
  private stateValue: RunState | null = null;
  private treeValue: TreeModel | null = null;
  private optionsValue: TreeOptions = DEFAULT_TREE_OPTIONS;
  private kit: RunKit | null = null;
  /** Set while the run is open read-only: another process is writing it, so follow its logs. */
  private follower: { watcher: FSWatcher; timer: NodeJS.Timeout | null } | null = null;
  /** Other annotators (the CLI, a git pull) may add curator events at any time: read them as they land. */
  private eventsWatcher: { watcher: FSWatcher; timer: NodeJS.Timeout | null } | null = null;
  private readonly toldReadOnly = new Set<string>();
  /** A reopen in progress (following a run): an edit waits for it rather than find no store. */
  private opening: Promise<void> | null = null;
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly author: () => string,
    private readonly loadKit: () => RunKit,
  ) {}

  private runKit(): RunKit {
    return (this.kit ??= this.loadKit());
  }

  get dir(): string | null {
    return this.store?.dir ?? null;
  }

  get state(): RunState | null {
    return this.stateValue;
  }

  get tree(): TreeModel | null {
    return this.treeValue;
  }

  get options(): TreeOptions {
    return this.optionsValue;
  }

  /** Holds the run's sampling lock: stages may run here. */
  get writable(): boolean {
    return this.store?.writable ?? false;
  }

  /** Curator edits need no sampling lock (each author's events file has its own): any open run. */
  get canCurate(): boolean {
    return this.store !== null;
  }

  /** The open store, for the pipeline stages; they append to it directly. */
  get project(): ProjectStore | null {
    return this.store;
  }

  /** Opens a run folder for writing; when another process holds its lock, read-only. */
  async open(dir: string): Promise<void> {
    const opening = this.reopen(dir);
    this.opening = opening;
    try {
      await opening;
    } finally {
      if (this.opening === opening) this.opening = null;
    }
  }

  private async reopen(dir: string): Promise<void> {
    // The old state stays on screen until the new one is derived, so a reopen only refreshes what changed.
    await this.close(false);
    try {
      await this.openStore(dir);
    } catch (err) {
      this.publish(null);
      throw err;
    }
  }

  private async openStore(dir: string): Promise<void> {
    const { ProjectStore } = this.runKit();
    let opened: Awaited<ReturnType<typeof ProjectStore.open>>;
    try {
      opened = await ProjectStore.open(dir, { write: true });
    } catch (err) {
      // Lines nobody can read (hsstar repair moves them aside): shown read-only, nothing written.
      const unreadable = /hsstar repair/.test(String(err));
      if (!unreadable && !/open for writing|take the lock/i.test(String(err))) throw err;
      this.log.warn(`${dir}: ${String(err)}; opened read-only`);
      // Said once per folder: a followed run reopens each time its writer appends.
      const why = unreadable ? 'This run has lines HS-STaR Curator cannot read' : 'Another process is writing this run';
      if (!this.toldReadOnly.has(dir)) void vscode.window.showWarningMessage(`${why}; it is open read-only. (${String((err as Error).message ?? err)})`);
      opened = await ProjectStore.open(dir, { write: false, invalidLines: 'report' });
    }
    for (const t of opened.recovery.torn) this.log.warn(`recovered ${dir}: dropped a torn last line ${JSON.stringify(t)}`);
    for (const l of opened.recovery.invalid) this.log.warn(`${l.file}:${l.line}: not a valid record (${l.reason}); kept, skipped (hsstar repair moves it aside)`);
    for (const w of opened.recovery.warnings) this.log.warn(`${dir}: ${w}`);
    this.store = opened.store;
    this.log.info(`opened run ${dir}${opened.store.writable ? '' : ' (read-only)'}`);
    if (!opened.store.writable) {
      this.toldReadOnly.add(dir);
      this.follow(dir);
    } else this.toldReadOnly.delete(dir);
    this.watchEvents(dir);
    this.refresh();
  }

  private watchEvents(dir: string): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(join(dir, 'events'));
    } catch {
      return; // an old run without the folder: its events come with the next reopen
    }
    const w = { watcher, timer: null as NodeJS.Timeout | null };
    watcher.on('change', () => {
      if (w.timer) clearTimeout(w.timer);
      w.timer = setTimeout(() => {
        const store = this.store;
        if (this.eventsWatcher !== w || !store) return;
        store.reloadEvents().then(
          (changed) => {
            if (changed && this.store === store) this.relabelFromEvents();
          },
          (err) => this.log.warn(`${dir}: reading curator events failed: ${String(err)}`),
        );
      }, 300);
    });
    watcher.on('error', () => {});
    this.eventsWatcher = w;
  }

  /**
   * While another process writes the run, follow it after its logs change: new log bytes are
   * read on top of what is open (each change costs what was appended, not the folder), at most
   * once every 1.5 s so a run that writes without pause still shows its responses as they
   * land; the writer's lock going away or new settings reopen it (then for writing).
   */
  private follow(dir: string): void {
    let reopen = false;
    const watcher = watch(dir, (_event, file) => {
      if (!file || !/\.(jsonl|lock)$|^hsstar\.json$/.test(String(file))) return;
      const f = this.follower;
      if (!f) return;
      if (!String(file).endsWith('.jsonl')) reopen = true;
      if (f.timer) return;
      f.timer = setTimeout(() => {
        f.timer = null;
        if (this.follower !== f || this.dir !== dir) return;
        const whole = reopen;
        reopen = false;
        void this.followStep(dir, whole).catch((err) => this.log.warn(`${dir}: reload failed: ${String(err)}`));
      }, 1_500);
    });
    this.follower = { watcher, timer: null };
  }

  private async followStep(dir: string, whole: boolean): Promise<void> {
    const store = this.store;
    if (!whole && store) {
      const started = performance.now();
      const caught = await store.catchUp();
      if (caught.result !== 'reopen') {
        this.log.debug(`${dir}: read what the writer appended (${caught.problems.size} problems changed) in ${(performance.now() - started).toFixed(0)} ms`);
        if (caught.result === 'updated' && this.store === store) {
          // Only the problems the new lines touched are derived again.
          const previous = this.stateValue;
          this.publish(previous ? this.runKit().restateOf(store, previous, caught.problems) : this.runKit().stateOf(store));
        }
        return;
      }
    }
    await this.open(dir);
  }

  private unfollow(): void {
    if (this.eventsWatcher) {
      if (this.eventsWatcher.timer) clearTimeout(this.eventsWatcher.timer);
      this.eventsWatcher.watcher.close();
      this.eventsWatcher = null;
    }
    if (!this.follower) return;
    if (this.follower.timer) clearTimeout(this.follower.timer);
    this.follower.watcher.close();
    this.follower = null;
  }

  async close(publish = true): Promise<void> {
    this.unfollow();
    const store = this.store;
    if (!store) return;
    this.store = null;
    // The run and its state go together: nobody may see no folder beside the old state while the files close.
    if (publish) this.publish(null);
    await store.close();
  }

  /** Re-derives everything from the logs; call after anything appended to them. */
  refresh(): void {
    const store = this.store;
    if (!store) return this.publish(null);
    const started = performance.now();
    const state = this.runKit().stateOf(store);
    this.log.debug(`derived ${state.problems.length} problems in ${(performance.now() - started).toFixed(0)} ms`);
    this.publish(state);
  }

  setOptions(options: TreeOptions): void {
    this.optionsValue = options;
    this.publish(this.stateValue);
  }

  canUndo(): boolean {
    return this.canCurate && this.stateValue !== null && this.runKit().lastUndoable(this.stateValue.events, this.author()) !== null;
  }

  /** Checks an edit against the current state, appends its event, re-derives. */
  async edit(intent: EditIntent): Promise<EditResult> {
    await this.opening?.catch(() => {});
    const state = this.stateValue;
    if (!state || !this.store) return { ok: false, error: 'No run is open.' };
    const result = this.runKit().eventForIntent(intent, state, this.stamp());
    if (!result.ok) return result;
    await this.append(result.event);
    return result;
  }

  async append(event: CuratorEvent): Promise<void> {
    if (!this.store) throw new Error('No run is open.');
    await this.store.appendEvents([event]);
    this.log.info(`${event.author}: ${this.runKit().describeEvent(event)}`);
    this.relabelFromEvents();
  }

  /** After an edit only labels, plan and pairs change: the cheap half of derivation, no log re-read. */
  private relabelFromEvents(): void {
    const state = this.stateValue;
    const store = this.store;
    if (!state || !store) return this.refresh();
    const kit = this.runKit();
    this.publish(kit.relabel({ ...state, events: kit.activeEvents(store.events()) }));
  }

  /**
   * With reviews assigned to this author (`assignments.json`), j / k walk their own next or
   * previous unreviewed problem: the id, or null when none is left that way. Undefined when
   * nothing is assigned to them (the inspector then walks the group).
   */
  nextAssigned(current: string, direction: 'next' | 'prev'): string | null | undefined {
    const dir = this.dir;
    const state = this.stateValue;
    if (!dir || !state) return undefined;
    const assigned = readAssignments(dir);
    const me = this.author();
    if (!assigned || !assigned.items.some((it) => it.annotators.includes(me))) return undefined;
    return nextAssigned(assigned.items, me, reviewedBy(state.events, me), current, direction);
  }

  stamp(): { id: string; at: string; author: string } {
    return { id: randomUUID(), at: new Date().toISOString(), author: this.author() };
  }

  private publish(state: RunState | null): void {
    const previous = this.treeValue;
    this.stateValue = state;
    this.treeValue = state ? new TreeModel(state, this.optionsValue) : null;
    this.changed.fire({ previous, current: this.treeValue });
  }

  dispose(): void {
    void this.close();
    this.changed.dispose();
  }
}

/** Who signs curator events: the `hsstar.review.author` setting, else the OS user. */
export { defaultAuthor } from '../store/author';
