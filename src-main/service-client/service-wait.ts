/** What a service call tells the window while it waits to try again, and the cancellable sleep behind it. */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { ErrorCode } from '../../src-shared/contract/errors.js';

/** One wait between attempts: which operation, why, for how long, and which attempt comes next. */
export interface ServiceWait {
  operation: string;
  /** Why the last attempt failed: SERVICE_UNREACHABLE, RENEWAL_OVERLOADED, RENEWAL_RATE_LIMITED, … */
  reason: ErrorCode;
  /** HTTP status of the failed attempt, null for a network failure. */
  status: number | null;
  delayMs: number;
  nextAttempt: number;
  maxAttempts: number;
  /** When the next attempt starts (ISO 8601). */
  retryAt: string;
}

/** Resolves after `ms`, or rejects with CANCELLED as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): ObnovaError {
  return new ObnovaError('CANCELLED', 'the service call was cancelled');
}
