import type { RunSettings } from './schema/settings';
import type { KeyApproval } from './schema/key-approvals';

/**
 * Where a run's settings send requests. A run folder travels (git, a copy from a colleague)
 * and its `hsstar.json` can name any URL and any key variable. Every request carries the
 * dataset's problems, and the key where the settings name one, so each URL needs this
 * machine's user's approval (`hsstar trust DIR`), for that key variable or for none.
 */
export interface EndpointDestination {
  endpoint: 'policy' | 'prm' | 'reward';
  /** The variable holding the key sent there; absent when no key is sent. */
  keyEnv?: string;
  /** As canonicalUrl spells it: the URL the clients request, and the one approved. */
  url: string;
}

/**
 * The one spelling of an endpoint URL, from the WHATWG URL parser: scheme and host
 * lower-cased (`HTTP://Host:8000/v1/` is `http://host:8000/v1`), default ports and dot
 * segments dropped, trailing slashes removed. Approvals are checked against it and the
 * clients request it, so the URL approved is exactly the URL requested. A string the
 * parser refuses is kept as it is (it matches no approval and is never requested).
 */
export function canonicalUrl(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** Every (endpoint, key variable or none, URL) the settings send requests to: each replica of each endpoint in use. */
export function endpointDestinations(settings: RunSettings): EndpointDestination[] {
  const out: EndpointDestination[] = [];
  const add = (endpoint: EndpointDestination['endpoint'], keyEnv: string | undefined, urls: readonly string[]) => {
    for (const url of urls) out.push({ endpoint, ...(keyEnv ? { keyEnv } : {}), url: canonicalUrl(url) });
  };
  add('policy', settings.policy.apiKeyEnv, settings.policy.baseURLs);
  if (settings.prm.protocol !== 'none') add('prm', settings.prm.apiKeyEnv, settings.prm.baseURLs);
  if (settings.reward.protocol !== 'none') add('reward', settings.reward.apiKeyEnv, settings.reward.baseURLs);
  return out;
}

/** What an approval covers: one URL with one key variable, or with no key. */
export function approvalKey(a: { keyEnv?: string | undefined; url: string }): string {
  return `${a.keyEnv ?? ''}\n${canonicalUrl(a.url)}`;
}

/** The destinations no approval covers: the same URL with the same key variable (or none), nothing looser. */
export function unapprovedDestinations(destinations: readonly EndpointDestination[], approvals: readonly KeyApproval[]): EndpointDestination[] {
  const approved = new Set(approvals.map(approvalKey));
  return destinations.filter((d) => !approved.has(approvalKey(d)));
}

/** One line per destination, for messages and `hsstar trust`. */
export function describeDestination(d: EndpointDestination): string {
  return `${d.endpoint}: ${d.keyEnv ? `$${d.keyEnv}` : 'no key'} -> ${d.url}`;
}
