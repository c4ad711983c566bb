/**
 * Per-client budget of fresh OCSP signatures (a token bucket per client address). A cached,
 * pre-signed answer costs nothing and is never limited; a cache miss costs one HSM signature, so
 * one client asking for many uncached serials gets `tryLater` once its budget is spent, instead of
 * holding the HSM away from everybody else's answers.
 */
export interface ClientBudgetOptions {
  /** Signatures a client may cause per second, on average. */
  perSecond: number;
  /** How many it may cause at once after a quiet period. */
  burst: number;
  /** Clients remembered at most (a flood from many addresses cannot grow memory without bound). */
  maxClients?: number;
}

export class ClientBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxClients: number;

  constructor(private readonly options: ClientBudgetOptions) {
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Spends one signature of `client`'s budget; false when there is none left. */
  take(client: string, nowMs: number): boolean {
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= this.maxClients) this.forgetFull(nowMs);
      bucket = { tokens: this.options.burst, at: nowMs };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Drops clients whose bucket has refilled (they would start full anyway); all of them if none has. */
  private forgetFull(nowMs: number): void {
    for (const [client, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.options.perSecond >= this.options.burst) this.buckets.delete(client);
    }
    if (this.buckets.size >= this.maxClients) this.buckets.clear();
  }
}
