import type { RunSettings } from '../../core/schema/index';
import { hashFile } from '../../store/dataset/index';
import { approveRunEndpoints } from '../../store/key-approvals';
import { findDemoData, readRecordedRows } from './recorded-data';
import { startReplayServer } from './replay-server';

/** The policy model name a demo run records; with the bundled data's hash it marks a demo run. */
export const DEMO_POLICY_MODEL = 'recorded-policy';

/**
 * A demo run's settings name a replay server that lived only while the demo was built. For
 * later work on that run (re-sampling one problem, say) a fresh replay server stands in: the
 * settings returned point at it, in memory only, and `close` stops it; its URLs are approved
 * in this user's config (`env`) as it starts, as a demo's are. Null for any other run.
 */
export async function demoEndpoints(settings: RunSettings, env: NodeJS.ProcessEnv): Promise<{ settings: RunSettings; close(): Promise<void> } | null> {
  if (settings.policy.model !== DEMO_POLICY_MODEL) return null;
  let data: string;
  try {
    data = findDemoData();
  } catch {
    return null;
  }
  if ((await hashFile(data)) !== settings.dataset.sha256) return null;
  const server = await startReplayServer(await readRecordedRows(data), settings.stepSeparator);
  const swapped = structuredClone(settings);
  swapped.policy.baseURLs = [server.v1];
  if (swapped.prm.protocol !== 'none') swapped.prm.baseURLs = [server.prmUrl];
  if (swapped.reward.protocol !== 'none') swapped.reward.baseURLs = [server.rewardUrl];
  try {
    await approveRunEndpoints(env, swapped);
  } catch (err) {
    await server.close();
    throw err;
  }
  return { settings: swapped, close: () => server.close() };
}
