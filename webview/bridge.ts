import { parseHostMessage, type HostMessage, type Intent, type PanelState } from '../src/protocol';

/**
 * The webview's side of the protocol: intents go out with a sequence number, host
 * messages come in and are parsed before anything looks at them.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class Bridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private seq = 0;

  constructor(private readonly onHost: (message: HostMessage) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = parseHostMessage(event.data);
      if (!parsed.ok) {
        console.warn(`inspector: dropped a malformed message (${parsed.error})`);
        return;
      }
      this.onHost(parsed.value);
    });
  }

  send(intent: Intent): number {
    const seq = ++this.seq;
    this.api.postMessage({ kind: 'request', seq, intent });
    return seq;
  }

  /** Only which problem is open survives a reload; everything else comes from the extension. */
  remember(state: PanelState): void {
    this.api.setState(state);
  }
}
