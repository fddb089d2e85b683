import { responseId, type Response, type Stage } from '../../core/schema/response';
import type { Problem } from '../../core/schema/problem';
import type { PolicySampler, Sample, SampleBatch } from '../../endpoints/policy-sampler';
import type { EndpointError } from '../../endpoints/endpoint-error';
import { runRequests, type RunRequestsOptions, type RunSummary } from './run-requests';

/** Slots of one problem still to be sampled. */
export interface SamplingWork {
  problem: Pick<Problem, 'id' | 'question'>;
  /** Sample numbers not yet on disk. */
  slots: number[];
}

type Passed = 'signal' | 'onCancel' | 'cut' | 'retry' | 'circuitThreshold' | 'replicaCooldownMs' | 'prices' | 'onProgress' | 'log' | 'secrets';

export interface SampleResponsesOptions<W extends SamplingWork> extends Pick<RunRequestsOptions<W, PolicySampler, SampleBatch>, Passed> {
  samplers: readonly PolicySampler[];
  work: Iterable<W>;
  /** Samples asked for per request (`n`). */
  nPerRequest: number;
  concurrency: number;
  /** n_p: slots below it are pre-samples (stage `pre`), the others re-samples (`re`); default: all are pre-samples. */
  presample?: number;
  round?: number;
  /** Writes one request's responses (the store's append, then their grades); they count once it resolved. */
  onResponses: (responses: Response[], work: W) => Promise<void>;
  onFailure?: (work: W, error: EndpointError) => void | Promise<void>;
  /** ISO time for records; tests may fix it. */
  now?: () => string;
}

/**
 * The one sampling path (the pipeline's stages, the extension's re-sampling of one problem,
 * the benchmarks): the missing slots of each problem, `nPerRequest` per request, through the
 * request engine; each request's responses go to the sink with their deterministic ids
 * (`problemId:slot`). A short reply leaves its remaining slots queued.
 */
export function sampleResponses<W extends SamplingWork>(o: SampleResponsesOptions<W>): Promise<RunSummary> {
  const now = o.now ?? (() => new Date().toISOString());
  const round = o.round ?? 0;
  const presample = o.presample ?? Infinity;
  return runRequests<W, PolicySampler, SampleBatch>({
    ...o,
    jobs: chunked(o.work, Math.max(1, o.nPerRequest)),
    replicas: o.samplers,
    call: (w, sampler, signal) => sampler.sample(w.problem.question, w.slots.length, signal, { problemId: w.problem.id, firstSlot: w.slots[0]! }),
    onResult: (w, batch) => {
      const at = now();
      const taken = batch.samples.length > w.slots.length ? batch.samples.slice(0, w.slots.length) : batch.samples;
      const responses = taken.map((s, i) => {
        const slot = w.slots[i]!;
        return responseOf(s, { problemId: w.problem.id, slot, stage: slot < presample ? 'pre' : 're', at, round });
      });
      return o.onResponses(responses, w);
    },
    remainder: (w, batch) => (batch.samples.length < w.slots.length ? { ...w, slots: w.slots.slice(batch.samples.length) } : undefined),
    measure: (batch) => ({ units: batch.samples.length, usage: batch.usage }),
    unitsOf: (w) => w.slots.length,
  });
}

/** The record of one sample, under its deterministic id `problemId:slot`; the text last, as the log keeps it. */
export function responseOf(s: Sample, where: { problemId: string; slot: number; stage: Stage; at: string; round: number }): Response {
  return {
    id: responseId(where.problemId, where.slot),
    problemId: where.problemId,
    slot: where.slot,
    stage: where.stage,
    finishReason: s.finishReason,
    usage: s.usage,
    model: s.model,
    latencyMs: s.latencyMs,
    at: where.at,
    round: where.round,
    text: s.text,
  };
}

function* chunked<W extends SamplingWork>(work: Iterable<W>, size: number): Generator<W> {
  for (const w of work) {
    if (w.slots.length <= size) yield w;
    else for (let i = 0; i < w.slots.length; i += size) yield { ...w, slots: w.slots.slice(i, i + size) };
  }
}
