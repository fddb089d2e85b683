import { parseHostMessage, type HostMessage, type InspectorFocus, type InspectorPayload, type Intent, type PanelState } from '../../src/protocol';
import type { Actions, StepChange, StepCursor } from './actions';
import { Bridge } from '../common/bridge';
import { divider } from '../components/index';
import { clear, h } from '../common/dom';
import { helpOverlay, reasonForm, textForm } from './overlays';
import { labelText, renderHeader } from './view-header';
import { renderPairs } from './view-pairs';
import { renderCompare, renderResponses } from './view-responses';

/**
 * The inspector page. It keeps only view state (which responses are expanded, an open
 * dialog, a first pick for compare); every edit is an intent the extension answers with
 * a fresh render.
 */
export class InspectorApp {
  private payload: InspectorPayload | null = null;
  private readonly expanded = new Set<string>();
  private picked: string | null = null;
  /** The response (and step) the extension opened this problem at; kept until another problem shows. */
  private focus: InspectorFocus | null = null;
  private overlay: HTMLElement | null = null;
  /** The step the rating keys act on; view state only, cleared when another problem shows. */
  private cursor: StepCursor | null = null;
  private readonly bridge: Bridge<HostMessage, Intent, PanelState>;
  private readonly status: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.status = h('div', { className: 'status', testId: 'status', role: 'status', attrs: { 'aria-live': 'polite' } });
    this.bridge = new Bridge('inspector', parseHostMessage, (m) => this.onHost(m));
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.bridge.send({ type: 'ready' });
  }

  private readonly actions: Actions = {
    send: (intent) => {
      this.bridge.send(intent);
    },
    navigate: (direction) => this.payload && this.bridge.send({ type: 'navigate', problemId: this.payload.problem.id, direction }),
    askLabel: (label) => this.askLabel(label),
    askResolve: (label) => this.askLabel(label, 'resolve-label'),
    clearOverride: () => this.payload && this.bridge.send({ type: 'clear-override', problemId: this.payload.problem.id, reason: '' }),
    toggleReviewed: () => this.payload && this.bridge.send({ type: 'mark-reviewed', problemId: this.payload.problem.id, reviewed: !this.payload.reviewed }),
    undo: () => this.bridge.send({ type: 'undo' }),
    toggleHelp: () => this.toggleHelp(),
    toggleExpanded: (id) => {
      if (this.expanded.has(id)) this.expanded.delete(id);
      else this.expanded.add(id);
      return this.expanded.has(id);
    },
    isExpanded: (id) => this.expanded.has(id),
    pickForCompare: (id) => {
      if (!this.payload) return;
      if (this.picked && this.picked !== id) {
        const first = this.picked;
        this.picked = null;
        this.bridge.send({ type: 'compare', problemId: this.payload.problem.id, responseIds: [first, id] });
      } else {
        this.picked = this.picked === id ? null : id;
        this.render();
      }
    },
    compareSelection: () => this.picked,
    focus: () => this.focus,
    stepCursor: () => this.cursor,
    setStepCursor: (responseId, step) => {
      this.cursor = { responseId, step };
      this.expanded.add(responseId);
      this.render();
    },
    rateStep: (responseId, step, change) => this.rateStep(responseId, step, change),
    toggleBadProblem: (responseId) => {
      const p = this.payload;
      const r = p?.responses.find((x) => x.id === responseId);
      if (!p || !r) return;
      this.bridge.send({ type: 'rate-steps', problemId: p.problem.id, responseId, steps: [], badProblem: !(r.stepAudit?.badProblem ?? false) });
    },
    askNote: (responseId, step) => this.askNote(responseId, step),
  };

  private onHost(m: HostMessage): void {
    switch (m.kind) {
      case 'render':
        if (this.payload?.problem.id !== m.payload.problem.id) {
          this.expanded.clear();
          this.picked = null;
          this.focus = null;
          this.cursor = null;
          this.closeOverlay();
          // A message is about the problem it was said on: a re-render of that one keeps it.
          this.status.textContent = '';
          this.status.classList.remove('error');
        }
        this.payload = m.payload;
        if (m.focus) {
          this.focus = m.focus;
          this.expanded.add(m.focus.responseId);
        }
        this.bridge.remember({ problemId: m.payload.problem.id });
        this.render();
        if (m.focus) this.reveal();
        return;
      case 'empty':
        this.payload = null;
        clear(this.root);
        this.root.append(h('p', { className: 'empty', testId: 'empty' }, m.message), this.status);
        return;
      case 'reply':
        this.status.textContent = '';
        return;
      case 'error':
        this.status.textContent = m.message;
        this.status.classList.add('error');
        return;
    }
  }

  private render(): void {
    const p = this.payload;
    if (!p) return;
    const focusedTestId = (document.activeElement as HTMLElement | null)?.dataset?.testid;
    clear(this.root);
    this.root.append(renderHeader(p, this.actions), this.status);
    const compare = renderCompare(p, this.actions);
    if (compare) this.root.append(compare);
    this.root.append(divider(), renderPairs(p, this.actions), divider(), renderResponses(p, this.actions));
    if (this.overlay) this.root.append(this.overlay);
    // Keep keyboard focus where it was across re-renders; the step cursor takes it when there is one.
    if (focusedTestId) (this.root.querySelector(`[data-testid="${CSS.escape(focusedTestId)}"]`) as HTMLElement | null)?.focus();
    const atCursor = this.cursor && !this.overlay ? this.root.querySelector<HTMLElement>('[data-cursor="true"]') : null;
    if (atCursor) {
      atCursor.focus({ preventScroll: true });
      atCursor.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Turns a key or button into one `rate-steps` edit; "first error here" rates the earlier steps too, in the same event (one undo). */
  private rateStep(responseId: string, step: number, change: StepChange): void {
    const p = this.payload;
    const r = p?.responses.find((x) => x.id === responseId);
    if (!p || !r || step >= r.steps.length) return;
    const labels = r.stepAudit?.labels ?? [];
    const note = (i: number) => labels[i]?.note ?? '';
    const current = labels[step];
    let steps;
    if ('firstError' in change) {
      // Earlier steps become +1, except a neutral 0 the curator already gave (not wrong either).
      const before = (i: number): 1 | 0 => (labels[i]?.rating === 0 && !labels[i]?.unsure ? 0 : 1);
      steps = Array.from({ length: step + 1 }, (_, i) => ({ step: i, rating: i === step ? (-1 as const) : before(i), note: note(i), unsure: false }));
    } else if ('toggleUnsure' in change) {
      steps = [{ step, rating: current?.rating ?? null, note: note(step), unsure: !(current?.unsure ?? false) }];
    } else if ('note' in change) {
      steps = [{ step, rating: current?.rating ?? null, note: change.note, unsure: current?.unsure ?? false }];
    } else {
      steps = [{ step, rating: change.rating, note: note(step), unsure: false }];
    }
    this.bridge.send({ type: 'rate-steps', problemId: p.problem.id, responseId, steps });
    // A +1 or 0 moves on to the next step, so a response is rated with one key per step.
    if ('rating' in change && (change.rating === 1 || change.rating === 0) && step + 1 < r.steps.length) this.cursor = { responseId, step: step + 1 };
    this.render();
  }

  /** `s`: the cursor goes to the first unrated step of the focused, expanded or first response. */
  private startStepping(): void {
    const p = this.payload;
    if (!p || p.responses.length === 0) return;
    const r =
      p.responses.find((x) => x.id === this.cursor?.responseId) ??
      p.responses.find((x) => x.id === this.focus?.responseId) ??
      p.responses.find((x) => this.expanded.has(x.id) && x.steps.length > 0) ??
      p.responses.find((x) => x.steps.length > 0);
    if (!r) return;
    const labels = r.stepAudit?.labels ?? [];
    const first = r.steps.findIndex((_, i) => !labels[i] || labels[i]!.rating === null || labels[i]!.unsure);
    this.actions.setStepCursor(r.id, first < 0 ? 0 : first);
  }

  /** Moves the cursor one step; past a response's last step it goes on to the next response's first. */
  private moveCursor(delta: 1 | -1): void {
    const p = this.payload;
    const c = this.cursor;
    if (!p || !c) return;
    const at = p.responses.findIndex((x) => x.id === c.responseId);
    const r = p.responses[at];
    if (!r) return;
    const step = c.step + delta;
    if (step >= 0 && step < r.steps.length) return this.actions.setStepCursor(r.id, step);
    for (let i = at + delta; i >= 0 && i < p.responses.length; i += delta) {
      const next = p.responses[i]!;
      if (next.steps.length > 0) return this.actions.setStepCursor(next.id, delta > 0 ? 0 : next.steps.length - 1);
    }
  }

  private askNote(responseId: string, step: number): void {
    this.closeOverlay();
    const form = textForm(
      {
        title: `Note on step ${step + 1}`,
        dialogLabel: `Note on step ${step + 1}`,
        fieldLabel: `Note on step ${step + 1}`,
        placeholder: 'What is wrong or notable here? (empty removes the note)',
        submitLabel: 'Save note',
        testId: 'note',
      },
      (text) => {
        this.closeOverlay();
        this.rateStep(responseId, step, { note: text });
      },
      () => {
        this.closeOverlay();
        this.render();
      },
    );
    this.overlay = form.element;
    this.root.append(form.element);
    form.focus();
  }

  /** Scrolls to the focused step (or response) and gives it keyboard focus. */
  private reveal(): void {
    const target =
      this.root.querySelector<HTMLElement>('[data-focused="step"]') ?? this.root.querySelector<HTMLElement>('[data-focused="response"]');
    if (!target) return;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
  }

  private askLabel(label: 'inlier' | 'outlier' | 'boundary', type: 'override-label' | 'resolve-label' = 'override-label'): void {
    const p = this.payload;
    if (!p) return;
    this.closeOverlay();
    const form = reasonForm(
      labelText(label),
      (reason) => {
        this.closeOverlay();
        this.bridge.send({ type, problemId: p.problem.id, label, reason });
      },
      () => this.closeOverlay(),
    );
    this.overlay = form.element;
    this.root.append(form.element);
    form.focus();
  }

  private toggleHelp(): void {
    if (this.overlay?.dataset.testid === 'help') {
      this.closeOverlay();
      return;
    }
    this.closeOverlay();
    this.overlay = helpOverlay(() => this.closeOverlay());
    this.root.append(this.overlay);
    (this.overlay.querySelector('[data-testid="help-close"]') as HTMLElement | null)?.focus();
  }

  private closeOverlay(): void {
    this.overlay?.remove();
    this.overlay = null;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      if (!this.overlay && this.cursor) {
        this.cursor = null;
        this.render();
      }
      this.closeOverlay();
      if (this.cursor) this.render();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') {
      if (this.isTyping(e)) return;
      e.preventDefault();
      this.actions.undo();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || this.isTyping(e)) return;
    if (this.overlay && e.key !== '?') return;
    const keys: Record<string, () => void> = {
      j: () => this.actions.navigate('next'),
      k: () => this.actions.navigate('prev'),
      '1': () => this.askLabel('inlier'),
      '2': () => this.askLabel('boundary'),
      '3': () => this.askLabel('outlier'),
      r: () => this.actions.toggleReviewed(),
      '?': () => this.toggleHelp(),
    };
    if (!this.overlay) Object.assign(keys, this.stepKeys());
    const run = keys[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  }

  /** The step-rating keys: `s` starts; the others act on the step under the cursor. */
  private stepKeys(): Record<string, () => void> {
    const c = this.cursor;
    const keys: Record<string, () => void> = { s: () => this.startStepping() };
    if (!c) return keys;
    const rate = (change: StepChange) => () => this.rateStep(c.responseId, c.step, change);
    return {
      ...keys,
      ArrowDown: () => this.moveCursor(1),
      ArrowUp: () => this.moveCursor(-1),
      '+': rate({ rating: 1 }),
      '=': rate({ rating: 1 }),
      '0': rate({ rating: 0 }),
      '-': rate({ rating: -1 }),
      f: rate({ firstError: true }),
      u: rate({ toggleUnsure: true }),
      Delete: rate({ rating: null }),
      Backspace: rate({ rating: null }),
      n: () => this.askNote(c.responseId, c.step),
      b: () => this.actions.toggleBadProblem(c.responseId),
    };
  }

  private isTyping(e: KeyboardEvent): boolean {
    const path = e.composedPath();
    return path.some((t) => t instanceof HTMLElement && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'VSCODE-TEXT-AREA' || t.isContentEditable));
  }
}
