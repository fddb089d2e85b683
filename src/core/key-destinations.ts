import type { RunSettings } from './schema/settings';
import type { KeyApproval } from './schema/key-approvals';

/**
 * Where a run's settings would send API keys. A run folder travels (git, a copy from a
 * colleague) and its `hsstar.json` can name any URL and any key variable, so a key is only
 * sent to a URL this machine's user approved for that key (`hsstar trust DIR`).
 */
export interface KeyDestination {
  endpoint: 'policy' | 'prm' | 'reward';
  keyEnv: string;
  url: string;
}

/** One spelling per URL: trailing slashes dropped, scheme and host lower-cased by URL parsing. */
export function canonicalUrl(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** Every (endpoint, key variable, URL) the settings send a key to: each replica of each keyed endpoint. */
export function keyDestinations(settings: RunSettings): KeyDestination[] {
  const out: KeyDestination[] = [];
  const add = (endpoint: KeyDestination['endpoint'], keyEnv: string | undefined, urls: readonly string[]) => {
    if (keyEnv) for (const url of urls) out.push({ endpoint, keyEnv, url: canonicalUrl(url) });
  };
  add('policy', settings.policy.apiKeyEnv, settings.policy.baseURLs);
  if (settings.prm.protocol !== 'none') add('prm', settings.prm.apiKeyEnv, settings.prm.baseURLs);
  if (settings.reward.protocol !== 'none') add('reward', settings.reward.apiKeyEnv, settings.reward.baseURLs);
  return out;
}

/** The destinations no approval covers: same key variable and same URL, nothing looser. */
export function unapprovedDestinations(destinations: readonly KeyDestination[], approvals: readonly KeyApproval[]): KeyDestination[] {
  const approved = new Set(approvals.map((a) => `${a.keyEnv}\n${canonicalUrl(a.url)}`));
  return destinations.filter((d) => !approved.has(`${d.keyEnv}\n${d.url}`));
}

/** One line per destination, for messages and `hsstar trust`. */
export function describeDestination(d: KeyDestination): string {
  return `${d.endpoint}: $${d.keyEnv} -> ${d.url}`;
}
