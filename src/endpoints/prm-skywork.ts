import type { EndpointOptions } from './endpoint-options';
import { EndpointError } from './endpoint-error';
import { joinUrl, postJson, serverRoot, postOptionsOf } from './json-post';
import { checkStepScores, sigmoid, type PrmClient } from './prm-client';
import { contextOverflowOf } from './server-messages';
import { EmbeddingResponse, PoolingResponse, TokenizeResponse } from './vllm-replies';

/**
 * Where the token ids go: vLLM's `/pooling` (current servers, where Skywork is a
 * `token_classify` model) or `/v1/embeddings` (Skywork's own plugin for vLLM 0.6).
 */
export type SkyworkRoute = 'pooling' | 'embeddings';
export const SKYWORK_ROUTES: readonly SkyworkRoute[] = ['pooling', 'embeddings'];

/** The BOS text Skywork's reference input starts with (Qwen2's `<|endoftext|>`, id 151643). */
export const SKYWORK_BOS_TEXT = '<|endoftext|>';

export interface SkyworkOptions extends EndpointOptions {
  /** The step token: its id follows every step, and the value head is read there. */
  stepSeparator?: string;
  route?: SkyworkRoute;
  bosText?: string;
}

/**
 * Skywork-o1-Open-PRM under vLLM, with the input ids its reference `prepare_input` builds:
 * `bos + question + "\n"` tokenised whole, then each step tokenised alone and followed by
 * the step token's id on its own; the value at that id is the step's score. Tokenising
 * `step + "\n"` as one string would let Qwen2's pre-tokeniser merge `".\n"` into one token
 * and move the read to a token the model was not trained to score. Token ids come from the
 * server's own `/tokenize`, so no tokenizer ships with the client.
 *
 * Activation, applied exactly once: `/pooling` is asked for the head's activation
 * (`use_activation: true`, a sigmoid for the one-output head), so its values are already
 * probabilities; the v0.6 plugin's `/v1/embeddings` returns the raw head, and the sigmoid is
 * applied here, as Skywork's reference client does.
 */
export class SkyworkPrmClient implements PrmClient {
  readonly url: string;
  readonly model: string;
  readonly route: SkyworkRoute;
  private readonly root: string;
  private readonly separator: string;
  private stepTokenId: Promise<number> | undefined;

  constructor(private readonly opts: SkyworkOptions) {
    this.root = serverRoot(opts.baseURL);
    this.route = opts.route ?? 'pooling';
    this.url = joinUrl(this.root, this.route === 'pooling' ? 'pooling' : 'v1/embeddings');
    this.model = opts.model;
    this.separator = opts.stepSeparator ?? '\n';
  }

  async scoreSteps(question: string, steps: readonly string[], signal?: AbortSignal): Promise<number[]> {
    if (steps.length === 0) return [];
    const post = postOptionsOf(this.opts, signal);
    const tokenizeUrl = joinUrl(this.root, 'tokenize');
    // `tokenizer.encode(text)` of the reference: special tokens on (Qwen2 adds none).
    const tokenize = async (prompt: string) =>
      (await postJson(tokenizeUrl, { model: this.model, prompt, add_special_tokens: true }, TokenizeResponse, post)).tokens;
    const stepId = await this.stepToken(tokenize, tokenizeUrl);
    const [head, ...chunks] = await Promise.all([
      tokenize(`${this.opts.bosText ?? SKYWORK_BOS_TEXT}${question}\n`),
      ...steps.map((s) => (s === '' ? Promise.resolve([]) : tokenize(s))),
    ]);
    const ids = [...head!];
    const positions: number[] = [];
    for (const c of chunks) {
      ids.push(...c, stepId);
      positions.push(ids.length - 1);
    }

    const values = await this.values(ids, post);
    if (values.length !== ids.length) {
      throw new EndpointError(
        'mismatch',
        this.url,
        200,
        `expected one value per token (${ids.length}), got ${values.length} (check prm.protocol, prm.model and prm.route)`,
      );
    }
    const read = positions.map((p) => values[p]!);
    return checkStepScores(this.route === 'pooling' ? read : read.map(sigmoid), steps.length, this.url);
  }

  /** The id the reference appends after each step: the last id of the step token's text. */
  private stepToken(tokenize: (text: string) => Promise<number[]>, tokenizeUrl: string): Promise<number> {
    this.stepTokenId ??= tokenize(this.separator).then((ids) => {
      if (ids.length === 0) throw new EndpointError('malformed', tokenizeUrl, 200, `the step token ${JSON.stringify(this.separator)} tokenized to nothing`);
      return ids[ids.length - 1]!;
    });
    // A failed look-up (server down) is asked again next time rather than remembered.
    this.stepTokenId.catch(() => (this.stepTokenId = undefined));
    return this.stepTokenId;
  }

  private async values(ids: number[], post: ReturnType<typeof postOptionsOf>): Promise<number[]> {
    try {
      if (this.route === 'embeddings') {
        const reply = await postJson(this.url, { model: this.model, input: ids }, EmbeddingResponse, post);
        return reply.data[0]?.embedding ?? [];
      }
      const body = { model: this.model, input: ids, task: 'token_classify', use_activation: true };
      const reply = await postJson(this.url, body, PoolingResponse, post);
      return (reply.data[0]?.data ?? []).map((v) => {
        if (!Array.isArray(v)) return v;
        if (v.length !== 1) throw new EndpointError('mismatch', this.url, 200, `expected one value per token, got rows of ${v.length} (check prm.protocol and prm.model)`);
        return v[0]!;
      });
    } catch (err) {
      const overflow = contextOverflowOf(err);
      if (!overflow) throw err;
      throw new EndpointError(
        'http',
        this.url,
        400,
        `the question and steps are ${ids.length} tokens, over the server's max_model_len of ${overflow.limit}; this response is not scored`,
      );
    }
  }
}
