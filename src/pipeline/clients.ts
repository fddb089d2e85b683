import type { RunSettings } from '../core/schema/index';
import { UserError } from '../core/errors';
import { describeDestination, keyDestinations, unapprovedDestinations } from '../core/key-destinations';
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
 * Reads the key named by `apiKeyEnv` from the environment; the settings only hold the name.
 * Only the environment's own variables count (a name such as `constructor` is not set).
 */
export function keyFrom(env: NodeJS.ProcessEnv, name: string | undefined, settingKey: string): string | undefined {
  if (!name) return undefined;
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (!value) throw new UserError(`environment variable ${name} is not set`, settingKey);
  return value;
}

/**
 * Refuses settings that would send a key to a URL this user has not approved for it on this
 * machine (a run folder from someone else can name any URL); the message lists each one
 * and the command that approves them.
 */
export function requireApprovedKeys(settings: RunSettings, env: NodeJS.ProcessEnv, runDir?: string): void {
  const missing = unapprovedDestinations(keyDestinations(settings), readKeyApprovals(env));
  if (missing.length === 0) return;
  const list = missing.map((d) => `  ${describeDestination(d)}`).join('\n');
  throw new UserError(
    `this run would send API keys where you have not approved them on this machine:\n${list}\nA run folder can name any URL; check these, then approve them with: hsstar trust ${runDir ?? 'DIR'}`,
    runDir ? `${runDir}/hsstar.json` : 'hsstar.json',
  );
}

export function createClients(settings: RunSettings, env: NodeJS.ProcessEnv, extras: { timeoutMs?: number; runDir?: string } = {}): Clients {
  const policyKey = keyFrom(env, settings.policy.apiKeyEnv, 'policy.apiKeyEnv');
  const prmKey = keyFrom(env, settings.prm.apiKeyEnv, 'prm.apiKeyEnv');
  const rewardKey = keyFrom(env, settings.reward.apiKeyEnv, 'reward.apiKeyEnv');
  requireApprovedKeys(settings, env, extras.runDir);
  const { runDir: _dir, ...limits } = extras;
  return {
    policy: createPolicySamplers(settings.policy, { apiKey: policyKey, ...limits }),
    prm: createPrmClients(settings.prm, { apiKey: prmKey, ...limits }),
    reward: createRewardClients(settings.reward, { apiKey: rewardKey, ...limits }),
    secrets: [policyKey, prmKey, rewardKey].filter((k): k is string => !!k),
  };
}
