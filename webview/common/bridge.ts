import type { Parsed } from '../../src/protocol';

/**
 * A webview's side of its protocol (the inspector's or the insights panel's): intents go
 * out as requests with a sequence number, host messages come in and are parsed before
 * anything looks at them; one that does not parse is logged and dropped.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Bridge<HostMessage, Intent, State = never> {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private seq = 0;

  /** `page` names the page in console warnings. */
  constructor(page: string, parse: (raw: unknown) => Parsed<HostMessage>, onHost: (message: HostMessage) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = parse(event.data);
      if (!parsed.ok) {
        console.warn(`${page}: dropped a malformed message (${parsed.error})`);
        return;
      }
      onHost(parsed.value);
    });
  }

  send(intent: Intent): number {
    const seq = ++this.seq;
    this.api.postMessage({ kind: 'request', seq, intent });
    return seq;
  }

  /** What VS Code keeps for a restored panel (the inspector keeps which problem is open). */
  remember(state: State): void {
    this.api.setState(state);
  }
}
