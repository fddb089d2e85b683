import { promptOf, samplingUrl, type PolicyEndpoint, type RequestKey, type SampleBatch, type SamplingOptions } from '../policy-sampler';
import { endpointErrorOf, sharedSamplingThread, type SamplingThread } from './sampling-thread';

/** A sampler nobody holds any more is forgotten on the thread too. */
const released = new FinalizationRegistry<{ thread: SamplingThread; id: number }>(({ thread, id }) => thread.release(id));

/**
 * A PolicySampler that runs on the sampling thread: the same requests, replies and
 * EndpointErrors, while the caller's thread only passes messages (see sampling-thread.ts).
 * Whether the server honours `n` > 1 is learned there and mirrored here after each reply.
 */
export class ThreadedPolicySampler implements PolicyEndpoint {
  readonly url: string;
  readonly model: string;
  private readonly id: number;
  private nSupported = true;

  constructor(
    private readonly opts: SamplingOptions,
    private readonly thread: SamplingThread = sharedSamplingThread(),
  ) {
    this.url = samplingUrl(opts);
    this.model = opts.model;
    this.id = thread.open(opts);
    released.register(this, { thread, id: this.id });
  }

  get supportsN(): boolean {
    return this.nSupported;
  }

  prompt(question: string): string {
    return promptOf(this.opts, question);
  }

  async sample(question: string, n: number, signal?: AbortSignal, key?: RequestKey): Promise<SampleBatch> {
    const outcome = await this.thread.call(this.id, question, n, signal, key);
    this.nSupported = outcome.supportsN;
    const err = endpointErrorOf(outcome);
    if (err) throw err;
    return outcome.batch!;
  }
}
