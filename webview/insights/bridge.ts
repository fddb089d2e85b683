import { HostMessage, type InsightsIntent } from '../../src/protocol-insights';

/**
 * The insights panel's side of the protocol: intents go out with a sequence number, host
 * messages are parsed before anything looks at them.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class InsightsBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private seq = 0;

  constructor(private readonly onHost: (message: HostMessage) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = HostMessage.safeParse(event.data);
      if (!parsed.success) {
        console.warn(`insights: dropped a malformed message (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        return;
      }
      this.onHost(parsed.data);
    });
  }

  send(intent: InsightsIntent): number {
    const seq = ++this.seq;
    this.api.postMessage({ kind: 'request', seq, intent });
    return seq;
  }
}
