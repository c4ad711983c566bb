/**
 * When to try a service call again and how long to wait: exponential backoff with full jitter,
 * or exactly what the service asks for in Retry-After (RFC 9110 §10.2.3), capped.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt. */
  baseDelayMs: number;
  /** Longest single wait, also the cap on Retry-After. */
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 20_000 };

/** HTTP statuses worth another attempt: the request may succeed unchanged later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before attempt `attempt + 1` (attempt counts from 1); `random` is injectable for tests. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads clients that failed together.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
