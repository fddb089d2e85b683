import type { RunSettings } from '../core/schema/index';
import { UserError } from '../core/errors';
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

/** Reads the key named by `apiKeyEnv` from the environment; the settings only hold the name. */
function keyFrom(env: NodeJS.ProcessEnv, name: string | undefined, settingKey: string): string | undefined {
  if (!name) return undefined;
  const value = env[name];
  if (!value) throw new UserError(`environment variable ${name} is not set`, settingKey);
  return value;
}

export function createClients(settings: RunSettings, env: NodeJS.ProcessEnv, extras: { timeoutMs?: number } = {}): Clients {
  const policyKey = keyFrom(env, settings.policy.apiKeyEnv, 'policy.apiKeyEnv');
  const prmKey = keyFrom(env, settings.prm.apiKeyEnv, 'prm.apiKeyEnv');
  const rewardKey = keyFrom(env, settings.reward.apiKeyEnv, 'reward.apiKeyEnv');
  return {
    policy: createPolicySamplers(settings.policy, { apiKey: policyKey, ...extras }),
    prm: createPrmClients(settings.prm, { apiKey: prmKey, ...extras }),
    reward: createRewardClients(settings.reward, { apiKey: rewardKey, ...extras }),
    secrets: [policyKey, prmKey, rewardKey].filter((k): k is string => !!k),
  };
}
