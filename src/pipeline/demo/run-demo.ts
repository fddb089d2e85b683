import { basename, join } from 'node:path';
import { RunSettings } from '../../core/schema/index';
import type { RunState } from '../../core/state/run-state';
import { ProjectStore } from '../../store/project';
import { approveRunEndpoints } from '../../store/key-approvals';
import { hashFile, readDataset } from '../../store/dataset/index';
import { createClients } from '../clients';
import { exportPairs, type ExportResult } from '../export-run';
import type { PipelineListener } from '../pipeline-events';
import { runPipeline, type PipelineResult } from '../run-pipeline';
import { findDemoData, readRecordedRows } from './recorded-data';
import { startReplayServer } from './replay-server';
import { DEMO_POLICY_MODEL } from './demo-endpoints';

/**
 * Thresholds for the demo's scale. The recorded scores are reward-model logits (about −4 to
 * +5); the replay turns each into a step score with the sigmoid. 0.9 (logit ≈ 2.2) and 0.25
 * (logit ≈ −1.1) mean "the reward model is fairly sure it is right / wrong"; docs/method.md's
 * PRM presets belong to other models' scales and would call almost every all-correct
 * problem of this data easy.
 */
export const DEMO_THRESHOLDS = { tauLow: 0.25, tauHigh: 0.9 };

/**
 * What the demo's step scores are, said wherever the demo reports on itself: the recorded
 * data holds one outcome-reward score per response, which the replay gives every step.
 */
export const DEMO_STEP_SCORES_NOTE =
  'the recorded data has one outcome-reward score per response, replayed as the score of every step, so the weakest step is always step 1; these are not a PRM\'s step scores';

export interface DemoResult {
  dir: string;
  pipeline: PipelineResult;
  state: RunState;
  exported: ExportResult | null;
  /** Responses served past a problem's 8 recorded ones (replayed from the first again). */
  repeated: number;
}

/**
 * Builds the demo run in `dir`. Its endpoints (the replay server started here) are approved
 * in the config folder `env` names as the run is created, as `hsstar init` approves its own.
 */
export async function runDemo(dir: string, env: NodeJS.ProcessEnv, o: { signal?: AbortSignal; onEvent?: PipelineListener; dataPath?: string } = {}): Promise<DemoResult> {
  const dataPath = o.dataPath ?? findDemoData();
  const rows = await readRecordedRows(dataPath);
  const server = await startReplayServer(rows);
  try {
    const reader = readDataset(dataPath, { dataName: 'math' });
    const problems = [];
    for await (const p of reader) problems.push(p);
    const settings = RunSettings.parse({
      formatVersion: 1,
      dataset: { path: dataPath, sha256: await hashFile(dataPath), dataName: 'math' },
      policy: {
        baseURLs: [server.v1],
        model: DEMO_POLICY_MODEL,
        // The prompt the recorded responses were written for.
        systemPrompt: rows[0]?.system ?? 'Please reason step by step, and put your final answer within \\boxed{}.',
        nPerRequest: 4,
      },
      prm: { protocol: 'http-json', baseURLs: [server.prmUrl], model: 'recorded-reward-as-step-scores' },
      reward: { protocol: 'http-json', baseURLs: [server.rewardUrl], model: 'recorded-reward' },
      budget: { N: 8, presample: 3 },
      thresholds: DEMO_THRESHOLDS,
      seed: 1234,
      concurrency: { policy: 8, prm: 8, reward: 8 },
    });
    const store = await ProjectStore.create(dir, settings, problems);
    try {
      await approveRunEndpoints(env, settings);
      const clients = createClients(settings, env);
      const pipeline = await runPipeline({ store, clients, ...(o.signal ? { signal: o.signal } : {}), ...(o.onEvent ? { onEvent: o.onEvent } : {}) }, 'all');
      const exported =
        pipeline.status === 'completed'
          ? // A chat run: the conversational format gives TRL the prompt the policy saw.
            await exportPairs(pipeline.state, { format: 'trl-conversational', out: join(dir, 'exports', 'pairs-trl-conversational.jsonl'), runFolder: basename(dir) })
          : null;
      return { dir, pipeline, state: pipeline.state, exported, repeated: server.stats.repeated };
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
  }
}
