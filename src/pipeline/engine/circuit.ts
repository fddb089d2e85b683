import type { EndpointError } from '../../endpoints/endpoint-error';

/**
 * Counts failed requests in a row on one endpoint. Past the threshold the circuit opens
 * and the run pauses with the reason, instead of burning through the queue against a server
 * that is down, refusing the key, or does not know the model.
 */
export class Circuit {
  private streak = 0;
  private why: string | undefined;

  constructor(readonly threshold: number) {}

  get open(): boolean {
    return this.why !== undefined;
  }

  get reason(): string | undefined {
    return this.why;
  }

  success(): void {
    this.streak = 0;
  }

  /** Returns the reason when this failure opens the circuit. */
  failure(err: EndpointError): string | undefined {
    this.streak++;
    if (this.why === undefined && this.streak >= this.threshold) {
      this.why = `paused after ${this.streak} failed requests in a row; last: ${err.message}`;
      return this.why;
    }
    return undefined;
  }
}
