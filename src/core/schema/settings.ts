import { z } from 'zod';
import { DEFAULT_PROMPT_TEMPLATE, DEFAULT_SYSTEM_PROMPT } from './prompt-defaults';

export { DEFAULT_PROMPT_TEMPLATE, DEFAULT_SYSTEM_PROMPT } from './prompt-defaults';

export const FORMAT_VERSION = 1;

const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL' });

/** Keys are never stored: only the name of an environment variable (or SecretStorage in VS Code). */
const ApiKeyEnv = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
  .optional();

export const PolicySettings = z.strictObject({
  baseURLs: z.array(HttpUrl).min(1),
  model: z.string().min(1),
  api: z.enum(['chat', 'completions']).default('chat'),
  apiKeyEnv: ApiKeyEnv,
  systemPrompt: z.string().default(DEFAULT_SYSTEM_PROMPT),
  /** Must contain `{question}`. */
  promptTemplate: z
    .string()
    .default(DEFAULT_PROMPT_TEMPLATE)
    .refine((t) => t.includes('{question}'), { message: 'must contain {question}' }),
  temperature: z.number().min(0).max(2).default(0.7),
  topP: z.number().gt(0).max(1).default(0.95),
  maxTokens: z.number().int().positive().default(2048),
  stop: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  /** Samples per request (`n`); falls back to 1 when the server refuses. */
  nPerRequest: z.number().int().positive().default(4),
});
export type PolicySettings = z.infer<typeof PolicySettings>;

export const PrmProtocol = z.enum(['vllm-qwen-prm', 'vllm-skywork-prm', 'http-json', 'none']);
export type PrmProtocol = z.infer<typeof PrmProtocol>;

/** Where `vllm-skywork-prm` sends token ids: vLLM's /pooling (default) or the v0.6 plugin's /v1/embeddings. */
export const PrmRoute = z.enum(['pooling', 'embeddings']);
export type PrmRoute = z.infer<typeof PrmRoute>;

export const PrmSettings = z.strictObject({
  protocol: PrmProtocol.default('none'),
  baseURLs: z.array(HttpUrl).default([]),
  model: z.string().default(''),
  apiKeyEnv: ApiKeyEnv,
  route: PrmRoute.optional(),
});
export type PrmSettings = z.infer<typeof PrmSettings>;

export const RewardProtocol = z.enum(['vllm-classify', 'vllm-pooling', 'http-json', 'none']);
export type RewardProtocol = z.infer<typeof RewardProtocol>;

export const RewardSettings = z.strictObject({
  protocol: RewardProtocol.default('none'),
  baseURLs: z.array(HttpUrl).default([]),
  model: z.string().default(''),
  apiKeyEnv: ApiKeyEnv,
});
export type RewardSettings = z.infer<typeof RewardSettings>;

export const DatasetSettings = z.strictObject({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  questionField: z.string().optional(),
  answerField: z.string().optional(),
  idField: z.string().optional(),
  dataName: z.string().optional(),
  badLines: z.enum(['stop', 'skip']).default('stop'),
});
export type DatasetSettings = z.infer<typeof DatasetSettings>;

export const RdeMode = z.enum(['accuracy+reward', 'accuracy-only', 'reward-only']);
export type RdeMode = z.infer<typeof RdeMode>;

export const RunSettings = z
  .object({
    formatVersion: z.literal(FORMAT_VERSION),
    dataset: DatasetSettings,
    policy: PolicySettings,
    prm: PrmSettings.default({ protocol: 'none', baseURLs: [], model: '' }),
    reward: RewardSettings.default({ protocol: 'none', baseURLs: [], model: '' }),
    budget: z
      .strictObject({
        /** Average responses per problem over the dataset. */
        N: z.number().int().positive().default(8),
        /** Pre-samples per problem (n_p). */
        presample: z.number().int().positive().default(3),
      })
      .refine((b) => b.presample <= b.N, { message: 'presample must not exceed N' }),
    thresholds: z
      .strictObject({ tauLow: z.number().min(0).max(1), tauHigh: z.number().min(0).max(1) })
      .refine((t) => t.tauLow <= t.tauHigh, { message: 'tauLow must not exceed tauHigh' }),
    rdeMode: RdeMode.default('accuracy+reward'),
    /** What ranks pair candidates: the PRM's S(r) (reference) or a reward model. */
    pairRanking: z.enum(['prm-min', 'reward-model']).default('prm-min'),
    /** Steps are split on this string (docs/method.md, "Terms": a blank line). */
    stepSeparator: z.string().min(1).default('\n\n'),
    seed: z.number().int().default(1234),
    concurrency: z
      .strictObject({
        policy: z.number().int().positive().default(64),
        prm: z.number().int().positive().default(32),
        reward: z.number().int().positive().default(32),
      })
      .default({ policy: 64, prm: 32, reward: 32 }),
    /** US dollars per million tokens, for cost estimates. */
    prices: z
      .strictObject({ promptPerMTok: z.number().nonnegative().default(0), completionPerMTok: z.number().nonnegative().default(0) })
      .default({ promptPerMTok: 0, completionPerMTok: 0 }),
    round: z
      .strictObject({ index: z.number().int().nonnegative().default(0), previousRun: z.string().optional() })
      .default({ index: 0 }),
  })
  .strict();
export type RunSettings = z.infer<typeof RunSettings>;
export type RunSettingsInput = z.input<typeof RunSettings>;
