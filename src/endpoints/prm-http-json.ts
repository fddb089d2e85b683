import { z } from 'zod';
import type { EndpointOptions } from './endpoint-options';
import { postJson, postOptionsOf } from './json-post';
import { checkStepScores, type PrmClient } from './prm-client';

/** The plain contract for custom PRM servers: POST {question, steps} → {step_scores}. */
export const HttpJsonPrmReply = z.looseObject({ step_scores: z.array(z.number()) });

export class HttpJsonPrmClient implements PrmClient {
  readonly url: string;
  readonly model: string;
  constructor(private readonly opts: EndpointOptions) {
    this.url = opts.baseURL;
    this.model = opts.model;
  }

  async scoreSteps(question: string, steps: readonly string[], signal?: AbortSignal): Promise<number[]> {
    if (steps.length === 0) return [];
    const body = { question, steps, ...(this.model ? { model: this.model } : {}) };
    const reply = await postJson(this.url, body, HttpJsonPrmReply, postOptionsOf(this.opts, signal));
    return checkStepScores(reply.step_scores, steps.length, this.url);
  }
}
