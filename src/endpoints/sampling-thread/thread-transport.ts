import type { PolicyTransport, SamplingOptions } from '../sampling-options';
import { sharedSamplingThread, type SamplingThread } from './sampling-thread';
import { endpointErrorOf } from './sampling-messages';

/** A transport nobody holds any more (its sampler was dropped) is forgotten on the thread too. */
const released = new FinalizationRegistry<{ thread: SamplingThread; id: number }>(({ thread, id }) => thread.release(id));

/**
 * A PolicySampler's transport whose requests run on the sampling thread (see
 * sampling-thread.ts): the same requests and EndpointErrors as on this thread, and the
 * replies' bytes, which the sampler reads here.
 */
export function threadTransport(options: SamplingOptions, thread: SamplingThread = sharedSamplingThread()): PolicyTransport {
  const id = thread.open(options);
  const transport: PolicyTransport = async (question, n, signal, key) => {
    const outcome = await thread.call(id, question, n, signal, key);
    const err = endpointErrorOf(outcome);
    if (err) throw err;
    return outcome.reply!;
  };
  released.register(transport, { thread, id });
  return transport;
}
