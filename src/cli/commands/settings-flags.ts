import type { FlagTable } from '../args';
import { UsageError } from '../../core/errors';
import { DEFAULT_THRESHOLDS, THRESHOLD_PRESETS, findPreset, presetForPrm, type Thresholds } from '../../core/rde';
import { RunSettings, type DatasetSettings } from '../../core/schema/index';

/** Without policy flags a project points at a local vLLM server (editable later in hsstar.json). */
export const DEFAULT_POLICY_URL = 'http://127.0.0.1:8000/v1';
export const DEFAULT_POLICY_MODEL = 'policy';

/** Every run setting as an `init` flag; repeatable URL flags give replicas. */
export const settingsFlags = {
  'policy-url': { type: 'string', multiple: true },
  'policy-model': { type: 'string' },
  'policy-api': { type: 'string' },
  'api-key-env': { type: 'string' },
  'system-prompt': { type: 'string' },
  'prompt-template': { type: 'string' },
  'prm-protocol': { type: 'string' },
  'prm-url': { type: 'string', multiple: true },
  'prm-model': { type: 'string' },
  'prm-key-env': { type: 'string' },
  'prm-route': { type: 'string' },
  'reward-protocol': { type: 'string' },
  'reward-url': { type: 'string', multiple: true },
  'reward-model': { type: 'string' },
  'reward-key-env': { type: 'string' },
  budget: { type: 'string' },
  presample: { type: 'string' },
  'tau-low': { type: 'string' },
  'tau-high': { type: 'string' },
  'threshold-preset': { type: 'string' },
  'rde-mode': { type: 'string' },
  'pair-ranking': { type: 'string' },
  seed: { type: 'string' },
  concurrency: { type: 'string' },
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  'max-tokens': { type: 'string' },
  'n-per-request': { type: 'string' },
  'price-prompt': { type: 'string' },
  'price-completion': { type: 'string' },
  'step-separator': { type: 'string' },
} satisfies FlagTable;

export const settingsFlagsUsage = `Policy (the model being trained):
  --policy-url URL        OpenAI-compatible base URL (repeat for replicas; default http://127.0.0.1:8000/v1)
  --policy-model NAME     served model name (default policy)
  --policy-api chat|completions   (default chat)
  --api-key-env VAR       environment variable holding the policy's key (keys are never stored)
  --system-prompt TEXT    (default: step by step, blank line between steps, \\boxed{} answer)
  --prompt-template T     user message, must contain {question} (default {question})
  --temperature X --top-p X --max-tokens N   (defaults 0.7, 0.95, 2048)
  --n-per-request N       samples per request (default 4; falls back to 1 if refused)
Process reward model:
  --prm-protocol vllm-qwen-prm|vllm-skywork-prm|http-json|none   (default none: accuracy only)
  --prm-url URL (repeatable)  --prm-model NAME  --prm-key-env VAR
  --prm-route pooling|embeddings   where vllm-skywork-prm sends token ids (default pooling; embeddings: Skywork's vLLM 0.6 plugin)
Outcome reward model (optional):
  --reward-protocol vllm-classify|vllm-pooling|http-json|none    (default none)
  --reward-url URL (repeatable)  --reward-model NAME  --reward-key-env VAR
Method:
  --budget N              responses per problem on average (default 8)
  --presample n           pre-samples per problem (default 3)
  --threshold-preset P    ${THRESHOLD_PRESETS.map((p) => p.id).join('|')} (default: by PRM model name, else 0.15/0.65)
  --tau-low X --tau-high X   thresholds (override the preset)
  --rde-mode accuracy+reward|accuracy-only|reward-only   (default accuracy+reward)
  --pair-ranking prm-min|reward-model   (default prm-min: S(r))
  --step-separator S      steps are split on S (default: a blank line; \\n is understood)
  --seed N                (default 1234)
  --concurrency N         requests in flight per endpoint (default 64 policy, 32 PRM/reward)
  --price-prompt USD --price-completion USD   per million tokens, for cost estimates`;

type Values = { [K in keyof typeof settingsFlags]?: (typeof settingsFlags)[K] extends { multiple: true } ? string[] : string };

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got '${value}'`);
  return n;
}

function thresholdsOf(v: Values, prmModel: string): Thresholds {
  let base: Thresholds = presetForPrm(prmModel) ?? DEFAULT_THRESHOLDS;
  if (v['threshold-preset']) {
    const preset = findPreset(v['threshold-preset']);
    if (!preset) throw new UsageError(`unknown --threshold-preset '${v['threshold-preset']}' (known: ${THRESHOLD_PRESETS.map((p) => p.id).join(', ')})`);
    base = preset;
  }
  return { tauLow: num('tau-low', v['tau-low']) ?? base.tauLow, tauHigh: num('tau-high', v['tau-high']) ?? base.tauHigh };
}

/** Where a settings problem came from, as the flag the user typed. */
const FLAG_OF: Record<string, string> = {
  'policy.baseURLs': '--policy-url',
  'policy.model': '--policy-model',
  'policy.api': '--policy-api',
  'policy.apiKeyEnv': '--api-key-env',
  'policy.promptTemplate': '--prompt-template',
  'policy.temperature': '--temperature',
  'policy.topP': '--top-p',
  'policy.maxTokens': '--max-tokens',
  'policy.nPerRequest': '--n-per-request',
  'prm.protocol': '--prm-protocol',
  'prm.baseURLs': '--prm-url',
  'prm.route': '--prm-route',
  'reward.protocol': '--reward-protocol',
  'reward.baseURLs': '--reward-url',
  budget: '--budget/--presample',
  'budget.N': '--budget',
  'budget.presample': '--presample',
  thresholds: '--tau-low/--tau-high',
  rdeMode: '--rde-mode',
  pairRanking: '--pair-ranking',
  seed: '--seed',
};

/** Builds and checks the run settings from `init`'s flags; every mistake is a usage error naming the flag. */
export function runSettingsFromFlags(v: Values, dataset: DatasetSettings): RunSettings {
  const prmProtocol = v['prm-protocol'] ?? (v['prm-url']?.length ? 'http-json' : 'none');
  const rewardProtocol = v['reward-protocol'] ?? (v['reward-url']?.length ? 'http-json' : 'none');
  const concurrency = num('concurrency', v.concurrency);
  const separator = v['step-separator']?.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  const raw = {
    formatVersion: 1,
    dataset,
    policy: {
      baseURLs: v['policy-url']?.length ? v['policy-url'] : [DEFAULT_POLICY_URL],
      model: v['policy-model'] ?? DEFAULT_POLICY_MODEL,
      ...(v['policy-api'] ? { api: v['policy-api'] } : {}),
      ...(v['api-key-env'] ? { apiKeyEnv: v['api-key-env'] } : {}),
      ...(v['system-prompt'] !== undefined ? { systemPrompt: v['system-prompt'] } : {}),
      ...(v['prompt-template'] ? { promptTemplate: v['prompt-template'] } : {}),
      ...(v.temperature ? { temperature: num('temperature', v.temperature) } : {}),
      ...(v['top-p'] ? { topP: num('top-p', v['top-p']) } : {}),
      ...(v['max-tokens'] ? { maxTokens: num('max-tokens', v['max-tokens']) } : {}),
      ...(v['n-per-request'] ? { nPerRequest: num('n-per-request', v['n-per-request']) } : {}),
    },
    prm: {
      protocol: prmProtocol,
      baseURLs: v['prm-url'] ?? [],
      model: v['prm-model'] ?? '',
      ...(v['prm-key-env'] ? { apiKeyEnv: v['prm-key-env'] } : {}),
      ...(v['prm-route'] ? { route: v['prm-route'] } : {}),
    },
    reward: {
      protocol: rewardProtocol,
      baseURLs: v['reward-url'] ?? [],
      model: v['reward-model'] ?? '',
      ...(v['reward-key-env'] ? { apiKeyEnv: v['reward-key-env'] } : {}),
    },
    budget: { N: num('budget', v.budget) ?? 8, presample: num('presample', v.presample) ?? 3 },
    thresholds: thresholdsOf(v, v['prm-model'] ?? ''),
    ...(v['rde-mode'] ? { rdeMode: v['rde-mode'] } : {}),
    ...(v['pair-ranking'] ? { pairRanking: v['pair-ranking'] } : {}),
    ...(separator ? { stepSeparator: separator } : {}),
    ...(v.seed ? { seed: num('seed', v.seed) } : {}),
    ...(concurrency !== undefined ? { concurrency: { policy: concurrency, prm: concurrency, reward: concurrency } } : {}),
    prices: { promptPerMTok: num('price-prompt', v['price-prompt']) ?? 0, completionPerMTok: num('price-completion', v['price-completion']) ?? 0 },
  };
  const parsed = RunSettings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    let flag: string | undefined;
    for (let n = path.length; n > 0 && !flag; n--) flag = FLAG_OF[path.slice(0, n).join('.')];
    throw new UsageError(`${flag ?? path.join('.')}: ${issue.message}`);
  }
  if (parsed.data.prm.protocol !== 'none' && parsed.data.prm.baseURLs.length === 0) throw new UsageError(`--prm-protocol ${parsed.data.prm.protocol} needs --prm-url`);
  if (parsed.data.reward.protocol !== 'none' && parsed.data.reward.baseURLs.length === 0) throw new UsageError(`--reward-protocol ${parsed.data.reward.protocol} needs --reward-url`);
  if (parsed.data.pairRanking === 'reward-model' && parsed.data.reward.protocol === 'none') throw new UsageError('--pair-ranking reward-model needs a reward model (--reward-protocol, --reward-url)');
  return parsed.data;
}
