import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Parsed } from '../protocol';
import { makeNonce, pageHtml, type WebviewPage } from '../views/webview-html';

/**
 * What the inspector and the insights panel do alike: the same webview options, the page
 * shell with a fresh nonce, and one way of answering the page's requests.
 */

/** Scripts on, no command links, nothing kept while hidden, files only from the page's folders. */
export function webviewOptions(extensionUri: vscode.Uri, page: WebviewPage): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: page.folders.map((folder) => vscode.Uri.joinPath(extensionUri, folder)),
  };
}

/** Loads the page's shell into the webview, under a nonce made for this load. */
export function setPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): void {
  webview.html = pageHtml(page, {
    cspSource: webview.cspSource,
    nonce: makeNonce((n) => randomBytes(n)),
    asUri: (path) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path.split('/'))).toString(),
  });
}

export interface RequestHandling<I extends { type: string }> {
  /** Names the page in log lines. */
  page: string;
  log: vscode.LogOutputChannel;
  parse(raw: unknown): Parsed<{ seq: number; intent: I }>;
  /** Runs one intent; returns an error message for the page, or null. */
  handle(intent: I): Promise<string | null>;
  onDropped?(): void;
}

/**
 * Answers every request the page sends with a reply or an error carrying its sequence
 * number. A message that does not parse is logged and dropped, never acted on.
 */
export function answerRequests<I extends { type: string }>(webview: vscode.Webview, h: RequestHandling<I>): vscode.Disposable {
  // The panel may close while an intent runs: its answer then goes nowhere.
  const post = (message: unknown) => {
    try {
      webview.postMessage(message).then(undefined, () => undefined);
    } catch {
      // disposed
    }
  };
  return webview.onDidReceiveMessage(async (raw: unknown) => {
    const parsed = h.parse(raw);
    if (!parsed.ok) {
      h.onDropped?.();
      h.log.warn(`${h.page}: dropped a malformed message (${parsed.error})`);
      return;
    }
    const { seq, intent } = parsed.value;
    try {
      const error = await h.handle(intent);
      post(error ? { kind: 'error', seq, message: error } : { kind: 'reply', seq });
    } catch (err) {
      h.log.error(`${h.page}: ${intent.type} failed: ${String(err)}`);
      post({ kind: 'error', seq, message: String((err as Error).message ?? err) });
    }
  });
}
