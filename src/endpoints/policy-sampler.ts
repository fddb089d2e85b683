import type { z } from 'zod';
import type { TokenUsage } from '../core/schema/response';
import { EndpointError } from './endpoint-error';
import { ChatCompletionReply, CompletionReply, isChatCompletionReply, isCompletionReply } from './policy-replies';
import { promptOf, samplingUrl, type PolicyReply, type PolicyTransport, type RequestKey, type SamplingOptions } from './sampling-options';

export type { SamplingOptions } from './sampling-options';

/** One sampled solution as the server returned it. */
export interface Sample {
  text: string;
  /** `length` means cut at max_tokens: kept, flagged by the caller. */
  finishReason: string | null;
  usage: TokenUsage;
  model: string;
  latencyMs: number;
}

/** One request's worth of samples and what the request cost in tokens. */
export interface SampleBatch {
  samples: Sample[];
  usage: TokenUsage;
}

/**
 * The policy model behind one base URL. Asks for `n` samples per request; when the server
 * says `n` > 1 is unsupported (a 400, see PolicyRequests) or ignores it (one choice back),
 * it remembers and asks for one at a time from then on. The requests go through
 * `transport`: the openai SDK on this thread by default, or the sampling thread
 * (src/endpoints/sampling-thread), which hands back the same replies.
 */
export class PolicySampler {
  readonly url: string;
  readonly model: string;
  private nSupported = true;

  constructor(
    private readonly opts: SamplingOptions,
    private readonly transport: PolicyTransport = requestsHere(opts),
  ) {
    this.model = opts.model;
    this.url = samplingUrl(opts);
  }

  /** Whether the server is still believed to honour `n` > 1. */
  get supportsN(): boolean {
    return this.nSupported;
  }

  prompt(question: string): string {
    return promptOf(this.opts, question);
  }

  /** Up to `n` samples for one question; fewer when the server gives fewer. */
  async sample(question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleBatch> {
    const reply = await this.transport(question, this.nSupported ? Math.max(1, n) : 1, signal, key);
    if (reply.refusedN) this.nSupported = false;
    const batch = this.read(reply);
    if (reply.asked > 1 && batch.samples.length === 1) this.nSupported = false;
    return batch;
  }

  /** The samples of a reply, checked against the documented shape (hand-written check first, zod for the reason). */
  private read(reply: PolicyReply): SampleBatch {
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength).toString('utf8'));
    } catch {
      throw new EndpointError('malformed', this.url, 200, 'reply is not valid JSON');
    }
    let texts: { text: string; finishReason: string | null }[];
    let usage: z.infer<typeof ChatCompletionReply>['usage'];
    let model: string | undefined;
    if (this.opts.api === 'completions') {
      const r = isCompletionReply(raw) ? raw : this.parse(CompletionReply, raw);
      texts = r.choices.map((c) => ({ text: c.text, finishReason: c.finish_reason ?? null }));
      ({ usage, model } = r);
    } else {
      const r = isChatCompletionReply(raw) ? raw : this.parse(ChatCompletionReply, raw);
      texts = r.choices.map((c) => ({ text: c.message.content ?? '', finishReason: c.finish_reason ?? null }));
      ({ usage, model } = r);
    }
    if (texts.length === 0) throw new EndpointError('malformed', this.url, 200, 'reply has no choices');
    const total = { prompt: usage?.prompt_tokens ?? 0, completion: usage?.completion_tokens ?? 0 };
    const shares = splitTokens(total.completion, texts.map((t) => t.text.length));
    return {
      usage: total,
      samples: texts.map((t, i) => ({
        ...t,
        usage: { prompt: total.prompt, completion: shares[i]! },
        model: model ?? this.opts.model,
        latencyMs: reply.latencyMs,
      })),
    };
  }

  private parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
    const r = schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new EndpointError('malformed', this.url, 200, `unexpected reply shape at ${issue?.path.join('.') || '(root)'}`);
    }
    return r.data;
  }
}

/**
 * Requests sent from this thread by PolicyRequests, whose module (and the openai SDK with
 * it) is loaded on the first request: where every sampler's requests run on the sampling
 * thread (the CLI, the extension), this thread never loads the SDK.
 */
function requestsHere(opts: SamplingOptions): PolicyTransport {
  let send: Promise<PolicyTransport> | undefined;
  return async (question, n, signal, key) => {
    send ??= import('./policy-request').then(({ PolicyRequests }) => new PolicyRequests(opts).send);
    return (await send)(question, n, signal, key);
  };
}

/**
 * A request with n > 1 reports one completion-token total. Each sample gets a share in
 * proportion to its length (largest remainder, so the shares add up to the total).
 */
export function splitTokens(total: number, lengths: readonly number[]): number[] {
  if (lengths.length <= 1) return lengths.length ? [total] : [];
  const sum = lengths.reduce((a, b) => a + b, 0);
  const weights = sum > 0 ? lengths.map((l) => l / sum) : lengths.map(() => 1 / lengths.length);
  const exact = weights.map((w) => w * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]![1]]! += 1;
  return out;
}
