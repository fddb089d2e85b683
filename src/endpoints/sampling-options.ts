/**
 * What a policy sampling request is made of, without the SDK that sends it (see
 * policy-request.ts): the main thread reads these while the requests run on the sampling thread.
 */
import { DEFAULT_PROMPT_TEMPLATE } from '../core/schema/prompt-defaults';
import type { EndpointOptions } from './endpoint-options';

export interface SamplingOptions extends EndpointOptions {
  api?: 'chat' | 'completions';
  systemPrompt?: string;
  /** Must contain `{question}`. */
  promptTemplate?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  /** The run's sampling seed (`policy.seed`); each request sends its own seed derived from it. */
  seed?: number;
}

/** Which request of a run this is: each gets its own seed (see requestSeed). */
export interface RequestKey {
  problemId: string;
  firstSlot: number;
}

/** One request's reply as the server sent it, before it is read (PolicySampler reads it). */
export interface PolicyReply {
  /** The JSON body. */
  bytes: Uint8Array;
  /** The `n` of the request that was answered. */
  asked: number;
  /** The server refused `n` > 1 (a 400 saying so) and was asked again for one sample. */
  refusedN: boolean;
  latencyMs: number;
}

/** Sends one sampling request and hands back its reply; rejects with an EndpointError. */
export type PolicyTransport = (question: string, n: number, signal?: AbortSignal, key?: RequestKey) => Promise<PolicyReply>;

/** The user message for a question: the template with `{question}` filled in. */
export function promptOf(opts: Pick<SamplingOptions, 'promptTemplate'>, question: string): string {
  return (opts.promptTemplate ?? DEFAULT_PROMPT_TEMPLATE).split('{question}').join(question);
}

/** The URL a sampler posts to: `…/chat/completions` or `…/completions`. */
export function samplingUrl(opts: Pick<SamplingOptions, 'baseURL' | 'api'>): string {
  return `${opts.baseURL.replace(/\/+$/, '')}/${opts.api === 'completions' ? 'completions' : 'chat/completions'}`;
}
