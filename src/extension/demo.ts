import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile, readDataset } from '../store/dataset/index';
import { ProjectStore } from '../store/project';
import { RunSettings, type Problem } from '../core/schema/index';
import { findDemoData, readRecordedRows } from '../pipeline/demo/recorded-data';
import { startReplayServer } from '../pipeline/demo/replay-server';
import { runPipeline } from '../pipeline/run-pipeline';
import { createClients } from '../pipeline/clients';
import type { Ctx } from './ctx';

/**
 * Open Demo Run: the bundled 50 MATH problems with recorded real responses, run through the
 * whole pipeline against a local replay server on 127.0.0.1 (no key, no network), into a
 * folder in the extension's storage. Opened again next time instead of rebuilt.
 */
export async function openDemo(ctx: Ctx): Promise<string | undefined> {
  const dir = join(ctx.storageUri.fsPath, 'demo-run');
  if (existsSync(join(dir, 'hsstar.json'))) return dir;
  const data = findDemoData();
  const rows = await readRecordedRows(data);
  const problems: Problem[] = [];
  for await (const p of readDataset(data)) problems.push(p);
  const server = await startReplayServer(rows);
  try {
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: data, sha256: await hashFile(data) },
      policy: { baseURLs: [server.v1], model: 'recorded-policy', nPerRequest: 4 },
      prm: { protocol: 'http-json', baseURLs: [server.prmUrl], model: 'recorded-reward' },
      reward: { protocol: 'http-json', baseURLs: [server.rewardUrl], model: 'recorded-reward' },
      budget: { N: 8, presample: 3 },
      thresholds: { tauLow: 0.15, tauHigh: 0.65 },
    });
    const store = await ProjectStore.create(dir, settings, problems);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'HS-STaR: building the demo run (local replay server)', cancellable: false },
        async (progress) =>
          runPipeline(
            {
              store,
              clients: createClients(settings, {}),
              onEvent: (e) => {
                if (e.kind === 'progress' || e.kind === 'step-end') progress.report({ message: `${e.stage} ${e.step}: ${e.progress.done}/${e.total}` });
              },
            },
            'all',
          ),
      );
      ctx.log.info(`demo run built in ${dir}: ${result.status}, ${result.state.pairs.length} pairs`);
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
  }
  return dir;
}
