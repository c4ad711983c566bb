/**
 * Can the renewal service be reached, and how far is this computer's clock from it? One HEAD request
 * with a short timeout; the skew comes from the response's Date header (RFC 9110 §6.6.1, 1 s resolution).
 */
import type { ServiceReport } from '../../src-shared/contract/schemas/diagnostics.js';

/** Asks the service once; never throws. */
export async function probeService(url: string | null, options: { timeoutMs?: number; now?: () => number } = {}): Promise<ServiceReport> {
  const empty: ServiceReport = { url, reachable: false, httpStatus: null, serverTime: null, clockSkewSeconds: null, roundTripMs: null, error: null };
  if (!url) return empty;
  const now = options.now ?? Date.now;
  const started = now();
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    const ended = now();
    const date = response.headers.get('date');
    const serverMs = date ? Date.parse(date) : Number.NaN;
    // Compare with the middle of the round trip: the header was made somewhere in between.
    const localMs = (started + ended) / 2;
    return {
      url,
      reachable: true,
      httpStatus: response.status,
      serverTime: Number.isNaN(serverMs) ? null : new Date(serverMs).toISOString(),
      clockSkewSeconds: Number.isNaN(serverMs) ? null : Math.round((localMs - serverMs) / 1000),
      roundTripMs: ended - started,
      error: null,
    };
  } catch (error) {
    return { ...empty, error: describeNetworkError(error) };
  }
}

/** A short, path-free reason: the error code of the socket (ECONNREFUSED, ENOTFOUND, …) or "timeout". */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') return 'timeout';
  return 'network error';
}
