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
