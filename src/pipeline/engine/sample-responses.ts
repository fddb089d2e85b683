import { responseId, type Response, type Stage } from '../../core/schema/response';
import type { PolicySampler, Sample, SampleBatch } from '../../endpoints/policy-sampler';
import type { EndpointError } from '../../endpoints/endpoint-error';
import { runRequests, type RunRequestsOptions, type RunSummary } from './run-requests';

/** Slots of one problem still to be sampled. */
export interface SamplingWork {
  problemId: string;
  question: string;
  /** Sample numbers not yet on disk. */
  slots: number[];
  stage: Stage;
}

type Passed = 'signal' | 'onCancel' | 'retry' | 'circuitThreshold' | 'replicaCooldownMs' | 'prices' | 'onProgress' | 'log' | 'secrets';

export interface SampleResponsesOptions extends Pick<RunRequestsOptions<SamplingWork, PolicySampler, SampleBatch>, Passed> {
  samplers: readonly PolicySampler[];
  work: Iterable<SamplingWork>;
  /** Samples asked for per request (`n`). */
  nPerRequest: number;
  concurrency: number;
  round?: number;
  /** Writes the responses (the store's append); they count once it resolved. */
  onResponses: (responses: Response[]) => Promise<void>;
  onFailure?: (work: SamplingWork, error: EndpointError) => void | Promise<void>;
  now?: () => Date;
}

/**
 * Sample the missing slots of each problem, `nPerRequest` per request, and hand each
 * request's responses to the sink with their deterministic ids (`problemId:slot`).
 */
export function sampleResponses(o: SampleResponsesOptions): Promise<RunSummary> {
  const now = o.now ?? (() => new Date());
  return runRequests<SamplingWork, PolicySampler, SampleBatch>({
    ...o,
    jobs: chunked(o.work, Math.max(1, o.nPerRequest)),
    replicas: o.samplers,
    call: (w, sampler, signal) => sampler.sample(w.question, w.slots.length, signal, { problemId: w.problemId, firstSlot: w.slots[0]! }),
    onResult: (w, batch) => {
      const at = now().toISOString();
      const taken = batch.samples.slice(0, w.slots.length);
      return o.onResponses(taken.map((s, i) => responseOf(s, { problemId: w.problemId, slot: w.slots[i]!, stage: w.stage, at, round: o.round ?? 0 })));
    },
    remainder: (w, batch) => {
      const left = w.slots.slice(Math.min(batch.samples.length, w.slots.length));
      return left.length > 0 ? { ...w, slots: left } : undefined;
    },
    measure: (batch) => ({ units: batch.samples.length, usage: batch.usage }),
    unitsOf: (w) => w.slots.length,
  });
}

/** The record of one sample, under its deterministic id `problemId:slot`. */
export function responseOf(s: Sample, where: { problemId: string; slot: number; stage: Stage; at: string; round: number }): Response {
  return {
    id: responseId(where.problemId, where.slot),
    problemId: where.problemId,
    slot: where.slot,
    stage: where.stage,
    text: s.text,
    finishReason: s.finishReason,
    usage: s.usage,
    model: s.model,
    latencyMs: s.latencyMs,
    at: where.at,
    round: where.round,
  };
}

function* chunked(work: Iterable<SamplingWork>, size: number): Generator<SamplingWork> {
  for (const w of work) {
    for (let i = 0; i < w.slots.length; i += size) yield { ...w, slots: w.slots.slice(i, i + size) };
  }
}
