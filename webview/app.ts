import { parseHostMessage, type HostMessage, type InspectorFocus, type InspectorPayload, type Intent, type PanelState } from '../src/protocol';
import type { Actions } from './actions';
import { Bridge } from './bridge';
import { divider } from './components/index';
import { clear, h } from './dom';
import { helpOverlay, reasonForm } from './overlays';
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
  };

  private onHost(m: HostMessage): void {
    switch (m.kind) {
      case 'render':
        if (this.payload?.problem.id !== m.payload.problem.id) {
          this.expanded.clear();
          this.picked = null;
          this.focus = null;
          this.closeOverlay();
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
    this.status.textContent = '';
    this.status.classList.remove('error');
    clear(this.root);
    this.root.append(renderHeader(p, this.actions), this.status);
    const compare = renderCompare(p, this.actions);
    if (compare) this.root.append(compare);
    this.root.append(divider(), renderPairs(p, this.actions), divider(), renderResponses(p, this.actions));
    if (this.overlay) this.root.append(this.overlay);
    // Keep keyboard focus where it was across re-renders.
    if (focusedTestId) (this.root.querySelector(`[data-testid="${CSS.escape(focusedTestId)}"]`) as HTMLElement | null)?.focus();
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
      this.closeOverlay();
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
    const run = keys[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  }

  private isTyping(e: KeyboardEvent): boolean {
    const path = e.composedPath();
    return path.some((t) => t instanceof HTMLElement && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'VSCODE-TEXT-AREA' || t.isContentEditable));
  }
}
