import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_STEP_SCORES_NOTE, runDemo } from '../pipeline/demo/run-demo';
import type { Ctx } from './ctx';

/**
 * Open Demo Run: the same run as `hsstar demo` — the bundled 50 MATH problems with recorded
 * real responses, through the whole pipeline against a local replay server on 127.0.0.1 (no
 * key, no network) — built into a folder in the extension's storage, and opened again next
 * time instead of rebuilt.
 */
export async function openDemo(ctx: Ctx): Promise<string | undefined> {
  const dir = join(ctx.storageUri.fsPath, 'demo-run');
  if (existsSync(join(dir, 'hsstar.json'))) return dir;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'HS-STaR: building the demo run (local replay server)', cancellable: false },
    async (progress) =>
      runDemo(dir, process.env, {
        onEvent: (e) => {
          if (e.kind === 'progress' || e.kind === 'task-end') progress.report({ message: `${e.stage} ${e.task}: ${e.progress.done}/${e.total}` });
        },
      }),
  );
  ctx.log.info(`demo run built in ${dir}: ${result.pipeline.status}, ${result.state.pairs.length} pairs`);
  ctx.log.info(`demo step scores: ${DEMO_STEP_SCORES_NOTE}`);
  return dir;
}
