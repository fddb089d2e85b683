import type { RunSettings } from '../core/schema/index';
import { UserError } from '../core/errors';
import { describeDestination, endpointDestinations, unapprovedDestinations } from '../core/key-destinations';
import { resolveApiKey } from '../endpoints/api-key';
import { readKeyApprovals } from '../store/key-approvals';
import { createPolicySamplers, createPrmClients, createRewardClients } from '../endpoints/create-clients';
import type { PolicySampler } from '../endpoints/policy-sampler';
import type { PrmClient } from '../endpoints/prm-client';
import type { RewardClient } from '../endpoints/reward-client';

export interface Clients {
  policy: PolicySampler[];
  prm: PrmClient[];
  reward: RewardClient[];
  /** Key values in use, so that no log line can ever show them. */
  secrets: string[];
}

/**
 * Refuses settings that would send requests to a URL this user has not approved on this
 * machine (for the key variable named there, or for none): a run folder from someone else
 * can name any URL, and every request carries the dataset's problems. The message lists
 * each one and the command that approves them.
 */
export function requireApprovedEndpoints(settings: RunSettings, env: NodeJS.ProcessEnv, runDir?: string): void {
  const missing = unapprovedDestinations(endpointDestinations(settings), readKeyApprovals(env));
  if (missing.length === 0) return;
  const list = missing.map((d) => `  ${describeDestination(d)}`).join('\n');
  throw new UserError(
    `this run would send requests (its problems, and the key where one is named) to endpoints you have not approved on this machine:\n${list}\nA run folder can name any URL; if these are the servers you mean, approve them with: hsstar trust ${runDir ?? 'DIR'} --yes`,
    runDir ? `${runDir}/hsstar.json` : 'hsstar.json',
  );
}

export function createClients(settings: RunSettings, env: NodeJS.ProcessEnv, extras: { timeoutMs?: number; runDir?: string } = {}): Clients {
  const policyKey = resolveApiKey(settings.policy.apiKeyEnv, 'policy.apiKeyEnv', env);
  const prmKey = resolveApiKey(settings.prm.apiKeyEnv, 'prm.apiKeyEnv', env);
  const rewardKey = resolveApiKey(settings.reward.apiKeyEnv, 'reward.apiKeyEnv', env);
  requireApprovedEndpoints(settings, env, extras.runDir);
  const { runDir: _dir, ...limits } = extras;
  return {
    policy: createPolicySamplers(settings.policy, { apiKey: policyKey, ...limits }),
    prm: createPrmClients(settings.prm, { apiKey: prmKey, ...limits }),
    reward: createRewardClients(settings.reward, { apiKey: rewardKey, ...limits }),
    secrets: [policyKey, prmKey, rewardKey].filter((k): k is string => !!k),
  };
}
