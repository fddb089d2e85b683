/**
 * Spreads requests over the base URLs of one endpoint: the replica with the fewest
 * requests in flight wins, ties go round-robin, and a replica that just failed to connect
 * or answered 5xx sits out a short cooldown while others are healthy.
 */
export class ReplicaSet<C extends { url: string }> {
  private readonly inFlight: number[];
  private readonly coolUntil: number[];
  private turn = 0;

  constructor(
    readonly replicas: readonly C[],
    private readonly cooldownMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    if (replicas.length === 0) throw new Error('an endpoint needs at least one base URL');
    this.inFlight = replicas.map(() => 0);
    this.coolUntil = replicas.map(() => 0);
  }

  /** Take a replica for one request; give it back with `release`. */
  acquire(): number {
    const t = this.now();
    const n = this.replicas.length;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.turn + k) % n;
      const healthy = this.coolUntil[i]! <= t;
      if (best < 0) {
        best = i;
        continue;
      }
      const bestHealthy = this.coolUntil[best]! <= t;
      if ((healthy && !bestHealthy) || (healthy === bestHealthy && this.inFlight[i]! < this.inFlight[best]!)) best = i;
    }
    this.turn = (best + 1) % n;
    this.inFlight[best]!++;
    return best;
  }

  release(index: number, ok: boolean): void {
    this.inFlight[index]!--;
    if (!ok) this.coolUntil[index] = this.now() + this.cooldownMs;
  }

  get(index: number): C {
    return this.replicas[index]!;
  }

  /** Requests in flight per replica, for status displays and tests. */
  load(): number[] {
    return [...this.inFlight];
  }
}
