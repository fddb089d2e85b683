import type { EndpointOptions } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { joinUrl, postJson, serverRoot, postOptionsOf } from './json-post';
import { checkStepScores, sigmoid, type PrmClient } from './prm-client';
import { EmbeddingResponse, PoolingResponse, TokenizeResponse } from './vllm-replies';

export interface SkyworkOptions extends EndpointOptions {
  /** Text that follows every step; Skywork-o1-Open-PRM reads its value head there. */
  stepSeparator?: string;
  /** Where the token ids go: the OpenAI embeddings route (default) or vLLM's /pooling. */
  route?: 'embeddings' | 'pooling';
}

/**
 * Skywork-o1-Open-PRM under vLLM. Token ids come from the server's own `/tokenize` (no local
 * tokenizer): `question + "\n"` with special tokens, then each step plus the separator
 * without. The ids go to `/v1/embeddings` (or `/pooling`), which returns the value head's
 * output per token; the value at the last token of each step, through a sigmoid, is its score.
 */
export class SkyworkPrmClient implements PrmClient {
  readonly url: string;
  readonly model: string;
  private readonly root: string;
  private readonly separator: string;
  constructor(private readonly opts: SkyworkOptions) {
    this.root = serverRoot(opts.baseURL);
    this.url = joinUrl(this.root, opts.route === 'pooling' ? 'pooling' : 'v1/embeddings');
    this.model = opts.model;
    this.separator = opts.stepSeparator ?? '\n';
  }

  async scoreSteps(question: string, steps: readonly string[], signal?: AbortSignal): Promise<number[]> {
    if (steps.length === 0) return [];
    const post = postOptionsOf(this.opts, signal);
    const tokenizeUrl = joinUrl(this.root, 'tokenize');
    const tokenize = (prompt: string, special: boolean) =>
      postJson(tokenizeUrl, { model: this.model, prompt, add_special_tokens: special }, TokenizeResponse, post);
    const [head, ...chunks] = await Promise.all([
      tokenize(`${question}\n`, true),
      ...steps.map((s) => tokenize(s + this.separator, false)),
    ]);
    const ids = [...head!.tokens];
    const positions: number[] = [];
    for (const c of chunks) {
      if (c.tokens.length === 0) throw new EndpointError('malformed', tokenizeUrl, 200, 'a step tokenized to nothing');
      ids.push(...c.tokens);
      positions.push(ids.length - 1);
    }

    let values: number[];
    if (this.opts.route === 'pooling') {
      const reply = await postJson(this.url, { model: this.model, input: ids }, PoolingResponse, post);
      values = (reply.data[0]?.data ?? []).map((v) => (Array.isArray(v) ? v[v.length - 1]! : v));
    } else {
      const reply = await postJson(this.url, { model: this.model, input: ids }, EmbeddingResponse, post);
      values = reply.data[0]?.embedding ?? [];
    }
    if (values.length !== ids.length) {
      throw new EndpointError(
        'mismatch',
        this.url,
        200,
        `expected one value per token (${ids.length}), got ${values.length} (check prm.protocol and prm.model)`,
      );
    }
    return checkStepScores(positions.map((p) => sigmoid(values[p]!)), steps.length, this.url);
  }
}
