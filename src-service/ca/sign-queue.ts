/**
 * A bounded FIFO in front of one PKCS#11 session: a session runs one operation at a time
 * (PKCS#11 v2.40 §5.1 — a second C_SignInit gives CKR_OPERATION_ACTIVE), and a full queue
 * refuses work (CA_HSM_BUSY) instead of growing without bound.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';

export class SignQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(readonly limit: number) {}

  /** Jobs waiting or running. */
  get size(): number {
    return this.pending;
  }

  /** Runs `job` after every job queued before it. */
  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.pending >= this.limit) {
      return Promise.reject(new ObnovaError('CA_HSM_BUSY', `HSM signing queue is full (${this.limit} pending)`, { limit: this.limit }));
    }
    this.pending++;
    const result = this.tail.then(job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.pending--;
    });
  }
}

/**
 * Several sessions on the same token, each with its own FIFO: PKCS#11 allows one operation per
 * session but concurrent operations on different sessions, so signatures run in parallel on
 * as many lanes as there are sessions. The bound covers all lanes together.
 */
export class SignPool {
  private readonly lanes: SignQueue[];
  /** Jobs refused because the pool was full, and jobs that failed (read by /metrics). */
  readonly refusals = { full: 0, failed: 0 };

  constructor(
    lanes: number,
    readonly limit: number,
  ) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => new SignQueue(limit));
  }

  get laneCount(): number {
    return this.lanes.length;
  }

  /** Jobs waiting or running on all lanes. */
  get size(): number {
    return this.lanes.reduce((n, lane) => n + lane.size, 0);
  }

  /** Runs `job` on the least busy lane; the job gets the lane's index (which session to use). */
  run<T>(job: (lane: number) => Promise<T>): Promise<T> {
    if (this.size >= this.limit) {
      this.refusals.full++;
      return Promise.reject(new ObnovaError('CA_HSM_BUSY', `HSM signing queue is full (${this.limit} pending)`, { limit: this.limit }));
    }
    let best = 0;
    for (let i = 1; i < this.lanes.length; i++) if (this.lanes[i]!.size < this.lanes[best]!.size) best = i;
    return this.lanes[best]!.run(() => job(best)).catch((error: unknown) => {
      this.refusals.failed++;
      throw error;
    });
  }
}
