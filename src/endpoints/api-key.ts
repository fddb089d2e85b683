import { UserError } from '../core/errors';

/**
 * The key for an endpoint, from the environment variable the settings name. Settings hold
 * only the variable's name, never the key. No name means no key (a local server).
 */
export function resolveApiKey(
  apiKeyEnv: string | undefined,
  settingKey: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!apiKeyEnv) return undefined;
  const value = env[apiKeyEnv];
  if (value === undefined || value === '') {
    throw new UserError(`environment variable ${apiKeyEnv} is not set`, settingKey);
  }
  return value;
}
