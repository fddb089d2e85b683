import { UserError } from '../core/errors';

/**
 * The key for an endpoint, from the environment variable the settings name: the one lookup
 * every caller uses (a run's clients, the Batch API, the extension with its stored keys
 * set as variables). Settings hold only the variable's name, never the key. No name means
 * no key (a local server); a name whose variable is unset or empty is an error naming the
 * setting, before any request.
 */
export function resolveApiKey(
  apiKeyEnv: string | undefined,
  settingKey: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!apiKeyEnv) return undefined;
  const value = env[apiKeyEnv];
  if (value === undefined || value === '') {
    throw new UserError(`environment variable ${apiKeyEnv} is not set`, settingKey);
  }
  return value;
}
