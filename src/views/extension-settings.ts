import { z } from 'zod';
import { UserError } from '../core/errors';
import { PrmProtocol, PrmRoute, RewardProtocol, RunSettings, type DatasetSettings } from '../core/schema/index';
import { TREE_PAGE_SIZE } from './tree-page-size';

/**
 * The extension's `hsstar.*` settings as one parsed object, and how they become a new
 * run's settings snapshot. Keys never live here: only the name of an environment variable
 * (or the key stored in VS Code's SecretStorage, which the extension adds at run time).
 */

const EnvName = z.union([z.literal(''), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)]);
const Urls = z.array(z.string());

export const ExtensionSettings = z.object({
  policy: z.object({
    baseURLs: Urls.default(['http://127.0.0.1:8000/v1']),
    model: z.string().default(''),
    api: z.enum(['chat', 'completions']).default('chat'),
    apiKeyEnv: EnvName.default(''),
  }),
  prm: z.object({
    protocol: PrmProtocol.default('none'),
    baseURLs: Urls.default([]),
    model: z.string().default(''),
    apiKeyEnv: EnvName.default(''),
    route: PrmRoute.default('pooling'),
  }),
  reward: z.object({
    protocol: RewardProtocol.default('none'),
    baseURLs: Urls.default([]),
    model: z.string().default(''),
    apiKeyEnv: EnvName.default(''),
  }),
  sampling: z.object({
    temperature: z.number().min(0).max(2).default(0.7),
    topP: z.number().gt(0).max(1).default(0.95),
    maxTokens: z.number().int().positive().default(2048),
    nPerRequest: z.number().int().positive().default(4),
  }),
  budget: z.object({ N: z.number().int().positive().default(8), presample: z.number().int().positive().default(3) }),
  thresholds: z.object({ tauLow: z.number().min(0).max(1).default(0.15), tauHigh: z.number().min(0).max(1).default(0.65) }),
  concurrency: z.object({
    policy: z.number().int().positive().default(64),
    prm: z.number().int().positive().default(32),
    reward: z.number().int().positive().default(32),
  }),
  prices: z.object({
    promptPerMTok: z.number().nonnegative().default(0),
    completionPerMTok: z.number().nonnegative().default(0),
  }),
  review: z.object({ author: z.string().default('') }),
  tree: z.object({ pageSize: z.number().int().min(TREE_PAGE_SIZE.min).max(TREE_PAGE_SIZE.max).default(TREE_PAGE_SIZE.default) }),
});
export type ExtensionSettings = z.infer<typeof ExtensionSettings>;

/** Setting key → value, as VS Code reports it (undefined when unset). */
export type SettingReader = (key: string) => unknown;

type Section = keyof ExtensionSettings;

/** Each section's keys, read off the schema: the schema is the one list of settings. */
const SECTIONS = Object.fromEntries(
  Object.entries(ExtensionSettings.shape).map(([section, shape]) => [section, Object.keys(shape.shape)]),
) as Record<Section, string[]>;

/** Every `hsstar.*` key the extension reads; the manifest declares the same set. */
export const SETTING_KEYS: string[] = Object.entries(SECTIONS).flatMap(([s, keys]) => keys.map((k) => `hsstar.${s}.${k}`));

/**
 * Reads and checks every setting. A value that does not check falls back to its default
 * and is reported with its key, so a typo in settings.json is visible and not fatal.
 */
export function parseExtensionSettings(read: SettingReader): { settings: ExtensionSettings; problems: string[] } {
  const problems: string[] = [];
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [section, keys] of Object.entries(SECTIONS)) {
    const values: Record<string, unknown> = {};
    const shape = (ExtensionSettings.shape as Record<string, z.ZodObject>)[section]!.shape as Record<string, z.ZodType>;
    for (const key of keys) {
      const value = read(`${section}.${key}`);
      if (value === undefined) continue;
      const checked = shape[key]!.safeParse(value);
      if (checked.success) values[key] = value;
      else problems.push(`hsstar.${section}.${key}: ${checked.error.issues[0]?.message ?? 'invalid'}; using the default`);
    }
    raw[section] = values;
  }
  return { settings: ExtensionSettings.parse(raw), problems };
}

const SETTING_OF_PATH: Record<string, string> = {
  'policy.baseURLs': 'hsstar.policy.baseURLs',
  'policy.model': 'hsstar.policy.model',
  'prm.baseURLs': 'hsstar.prm.baseURLs',
  'prm.model': 'hsstar.prm.model',
  'reward.baseURLs': 'hsstar.reward.baseURLs',
  budget: 'hsstar.budget.presample',
  thresholds: 'hsstar.thresholds.tauLow',
};

/** A new run's settings snapshot from the editor settings and the chosen dataset. */
export function runSettingsFromExtension(s: ExtensionSettings, dataset: DatasetSettings, seed = 1234): RunSettings {
  const env = (name: string) => (name ? { apiKeyEnv: name } : {});
  const candidate = {
    formatVersion: 1,
    dataset,
    policy: {
      baseURLs: s.policy.baseURLs,
      model: s.policy.model,
      api: s.policy.api,
      ...env(s.policy.apiKeyEnv),
      temperature: s.sampling.temperature,
      topP: s.sampling.topP,
      maxTokens: s.sampling.maxTokens,
      nPerRequest: s.sampling.nPerRequest,
    },
    prm: {
      protocol: s.prm.protocol,
      baseURLs: s.prm.baseURLs,
      model: s.prm.model,
      ...env(s.prm.apiKeyEnv),
      ...(s.prm.protocol === 'vllm-skywork-prm' ? { route: s.prm.route } : {}),
    },
    reward: { protocol: s.reward.protocol, baseURLs: s.reward.baseURLs, model: s.reward.model, ...env(s.reward.apiKeyEnv) },
    budget: { N: s.budget.N, presample: s.budget.presample },
    thresholds: { tauLow: s.thresholds.tauLow, tauHigh: s.thresholds.tauHigh },
    seed,
    concurrency: s.concurrency,
    prices: s.prices,
  };
  const parsed = RunSettings.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  const where = SETTING_OF_PATH[path.slice(0, 2).join('.')] ?? SETTING_OF_PATH[path[0] ?? ''] ?? `hsstar.${path.join('.')}`;
  throw new UserError(issue.message, where);
}
