import { z } from 'zod';
import type { EndpointOptions } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { joinUrl, postJson, serverRoot, postOptionsOf } from './json-post';
import { ClassificationResponse, PoolingResponse } from './vllm-replies';

/** An outcome reward model: one score per whole response. */
export interface RewardClient {
  readonly url: string;
  readonly model: string;
  score(question: string, response: string, signal?: AbortSignal): Promise<number>;
}

/** The conversation a reward model judges; the server applies the model's own chat template. */
function conversation(question: string, response: string) {
  return [
    { role: 'user', content: question },
    { role: 'assistant', content: response },
  ];
}

function finite(value: number | undefined, url: string): number {
  if (value === undefined || !Number.isFinite(value)) {
    throw new EndpointError('malformed', url, 200, 'reply carries no finite score');
  }
  return value;
}

/**
 * vLLM `/classify` (ClassificationResponse). One class: its value is the score; two or
 * more: the probability of the last class (the positive one for a good/bad classifier).
 */
export class VllmClassifyRewardClient implements RewardClient {
  readonly url: string;
  readonly model: string;
  constructor(private readonly opts: EndpointOptions) {
    this.url = joinUrl(serverRoot(opts.baseURL), 'classify');
    this.model = opts.model;
  }
  async score(question: string, response: string, signal?: AbortSignal): Promise<number> {
    const reply = await postJson(
      this.url,
      { model: this.model, messages: conversation(question, response) },
      ClassificationResponse,
      postOptionsOf(this.opts, signal),
    );
    const row = reply.data[0];
    return finite(row?.probs[row.probs.length - 1], this.url);
  }
}

/** vLLM `/pooling` with an outcome reward model: the (last) pooled value is the score. */
export class VllmPoolingRewardClient implements RewardClient {
  readonly url: string;
  readonly model: string;
  constructor(private readonly opts: EndpointOptions) {
    this.url = joinUrl(serverRoot(opts.baseURL), 'pooling');
    this.model = opts.model;
  }
  async score(question: string, response: string, signal?: AbortSignal): Promise<number> {
    const reply = await postJson(
      this.url,
      { model: this.model, messages: conversation(question, response) },
      PoolingResponse,
      postOptionsOf(this.opts, signal),
    );
    const data = reply.data[0]?.data ?? [];
    const last = data[data.length - 1];
    return finite(Array.isArray(last) ? last[last.length - 1] : last, this.url);
  }
}

/** The plain contract for custom reward servers: POST {question, response} → {score}. */
export const HttpJsonRewardReply = z.looseObject({ score: z.number() });

export class HttpJsonRewardClient implements RewardClient {
  readonly url: string;
  readonly model: string;
  constructor(private readonly opts: EndpointOptions) {
    this.url = opts.baseURL;
    this.model = opts.model;
  }
  async score(question: string, response: string, signal?: AbortSignal): Promise<number> {
    const body = { question, response, ...(this.model ? { model: this.model } : {}) };
    const reply = await postJson(this.url, body, HttpJsonRewardReply, postOptionsOf(this.opts, signal));
    return finite(reply.score, this.url);
  }
}
