import type { SamplingOptions } from './policy-request';

/** The URL a sampler posts to: `…/chat/completions` or `…/completions`. */
export function samplingUrl(opts: Pick<SamplingOptions, 'baseURL' | 'api'>): string {
  return `${opts.baseURL.replace(/\/+$/, '')}/${opts.api === 'completions' ? 'completions' : 'chat/completions'}`;
}
