import { UserError } from '../core/errors';

/**
 * The key for an endpoint, from the environment variable the settings name: the one lookup
 * every caller uses (a run's clients, the Batch API, the extension with its stored keys
 * set as variables). Settings hold only the variable's name, never the key. No name means
 * no key (a local server); a name whose variable is unset or empty is an error naming the
 * setting, before any request. Only the environment's own variables count (a name such as
 * `constructor` is not set, whatever Object's prototype holds).
 */
export function resolveApiKey(
  apiKeyEnv: string | undefined,
  settingKey: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!apiKeyEnv) return undefined;
  const value = Object.hasOwn(env, apiKeyEnv) ? env[apiKeyEnv] : undefined;
  if (value === undefined || value === '') {
    throw new UserError(`environment variable ${apiKeyEnv} is not set`, settingKey);
  }
  return value;
}
