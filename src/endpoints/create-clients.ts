import { PolicySettings, PrmSettings, RewardSettings } from '../core/schema/settings';
import { canonicalUrl } from '../core/key-destinations';
import { parseSettings, requireEndpoint } from './settings-check';
import { PolicySampler, type SamplingOptions } from './policy-sampler';
import { threadTransport } from './sampling-thread/thread-transport';
import type { PrmClient } from './prm-client';
import { QwenPrmClient } from './prm-qwen';
import { SkyworkPrmClient } from './prm-skywork';
import { HttpJsonPrmClient } from './prm-http-json';
import {
  HttpJsonRewardClient,
  VllmClassifyRewardClient,
  VllmPoolingRewardClient,
  type RewardClient,
} from './reward-client';

/** Options that are not settings: the key value and test-friendly limits. */
export interface ClientExtras {
  apiKey?: string;
  timeoutMs?: number;
}

/**
 * Every client requests its base URL as canonicalUrl spells it, the spelling approvals are
 * checked in (see key-destinations.ts), whatever case or trailing slash the settings use.
 */

/** One sampler per base URL (replica) of the policy settings; their requests run on the sampling thread. */
export function createPolicySamplers(raw: unknown, extras: ClientExtras = {}): PolicySampler[] {
  const s = parseSettings(PolicySettings, raw, 'policy');
  return s.baseURLs.map(canonicalUrl).map((baseURL) => {
    const options: SamplingOptions = {
      baseURL,
      model: s.model,
      apiKey: extras.apiKey,
      timeoutMs: extras.timeoutMs,
      api: s.api,
      systemPrompt: s.systemPrompt,
      promptTemplate: s.promptTemplate,
      temperature: s.temperature,
      topP: s.topP,
      maxTokens: s.maxTokens,
      stop: s.stop,
      seed: s.seed,
    };
    return new PolicySampler(options, threadTransport(options));
  });
}

/** One PRM client per base URL; none for protocol `none` (accuracy-only RDE). */
export function createPrmClients(raw: unknown, extras: ClientExtras & { skyworkSeparator?: string } = {}): PrmClient[] {
  const s = parseSettings(PrmSettings, raw, 'prm');
  const protocol = s.protocol;
  if (protocol === 'none') return [];
  requireEndpoint(s.baseURLs, s.model, 'prm', protocol !== 'http-json');
  return s.baseURLs.map(canonicalUrl).map((baseURL) => {
    const o = { baseURL, model: s.model, apiKey: extras.apiKey, timeoutMs: extras.timeoutMs };
    switch (protocol) {
      case 'vllm-qwen-prm':
        return new QwenPrmClient(o);
      case 'vllm-skywork-prm':
        return new SkyworkPrmClient({ ...o, stepSeparator: extras.skyworkSeparator, ...(s.route ? { route: s.route } : {}) });
      case 'http-json':
        return new HttpJsonPrmClient(o);
    }
  });
}

/** One reward client per base URL; none for protocol `none`. */
export function createRewardClients(raw: unknown, extras: ClientExtras = {}): RewardClient[] {
  const s = parseSettings(RewardSettings, raw, 'reward');
  const protocol = s.protocol;
  if (protocol === 'none') return [];
  requireEndpoint(s.baseURLs, s.model, 'reward', protocol !== 'http-json');
  return s.baseURLs.map(canonicalUrl).map((baseURL) => {
    const o = { baseURL, model: s.model, apiKey: extras.apiKey, timeoutMs: extras.timeoutMs };
    switch (protocol) {
      case 'vllm-classify':
        return new VllmClassifyRewardClient(o);
      case 'vllm-pooling':
        return new VllmPoolingRewardClient(o);
      case 'http-json':
        return new HttpJsonRewardClient(o);
    }
  });
}
