/** What every HTTP client needs to reach one base URL (one replica). */
export interface EndpointOptions {
  baseURL: string;
  model: string;
  /** The key value itself (from SecretStorage or the environment); never stored. */
  apiKey?: string;
  /** Per-request limit in milliseconds. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
