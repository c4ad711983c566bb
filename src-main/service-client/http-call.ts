/**
 * One HTTP exchange with the renewal service, retried by the policy: problem+json becomes an
 * ObnovaError with the service's code, bodies are size-limited, every attempt has a timeout.
 */
import { type ErrorCode, errorCodeSchema, ObnovaError } from '../../src-shared/contract/errors.js';
import type { Reason } from '../../src-shared/contract/protocol/eligibility.js';
import { problemSchema } from '../../src-shared/contract/protocol/problem.js';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import { cancelled, type ServiceWait, sleep } from './service-wait.js';

/** The subset of WHATWG fetch used here; tests and Electron's net.fetch fit. */
export type ServiceFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: Uint8Array | string; signal: AbortSignal }) => Promise<Response>;

export interface CallOptions {
  signal?: AbortSignal;
  onWait?: (wait: ServiceWait) => void;
}

export interface HttpRequest {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Largest body accepted. */
  maxBytes?: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Uint8Array;
}

export interface HttpCallerOptions {
  baseUrl: string;
  fetch?: ServiceFetch;
  policy?: RetryPolicy;
  random?: () => number;
  now?: () => number;
}

const defaultMaxBytes = 2 * 1024 * 1024;

/** A failed attempt: the error to throw if it is the last, and whether another attempt could succeed. */
interface Failure {
  error: ObnovaError;
  retry: boolean;
  retryAfterMs: number | null;
  status: number | null;
}

/** Makes `call(request, options)`; the URL is `baseUrl` + `path` (baseUrl without a trailing slash). */
export function createHttpCaller(options: HttpCallerOptions): (request: HttpRequest, call?: CallOptions) => Promise<HttpAnswer> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl: ServiceFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init as RequestInit));
  const policy = options.policy ?? defaultRetryPolicy;
  const now = options.now ?? Date.now;

  async function attempt(request: HttpRequest, signal: AbortSignal | undefined): Promise<HttpAnswer | Failure> {
    const url = `${base}${request.path}`;
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetchImpl(url, { method: request.method, headers: { accept: 'application/json, application/problem+json', ...request.headers }, body: request.body, signal: combined });
    } catch (cause) {
      if (signal?.aborted) throw cancelled();
      const timedOut = timeout.aborted;
      return { error: new ObnovaError('SERVICE_UNREACHABLE', timedOut ? `${request.operation}: no answer within ${policy.timeoutMs} ms` : `${request.operation}: the service could not be reached`, { operation: request.operation, timedOut }, { cause }), retry: true, retryAfterMs: null, status: null };
    }
    let body: Uint8Array;
    try {
      body = await readLimited(response, request.maxBytes ?? defaultMaxBytes);
    } catch (cause) {
      if (signal?.aborted) throw cancelled();
      if (cause instanceof ObnovaError) return { error: cause, retry: false, retryAfterMs: null, status: response.status };
      return { error: new ObnovaError('SERVICE_UNREACHABLE', `${request.operation}: the answer broke off`, { operation: request.operation }, { cause }), retry: true, retryAfterMs: null, status: response.status };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok) return { status: response.status, contentType, body };
    return {
      error: problemError(request.operation, response.status, contentType, body),
      retry: isRetryableStatus(response.status),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
      status: response.status,
    };
  }

  return async (request, call = {}) => {
    for (let n = 1; ; n++) {
      if (call.signal?.aborted) throw cancelled();
      const outcome = await attempt(request, call.signal);
      if (!('error' in outcome)) return outcome;
      if (!outcome.retry || n >= policy.maxAttempts) throw outcome.error;
      const delayMs = backoffDelay(policy, n, outcome.retryAfterMs, options.random);
      call.onWait?.({
        operation: request.operation,
        reason: outcome.error.code,
        status: outcome.status,
        delayMs,
        nextAttempt: n + 1,
        maxAttempts: policy.maxAttempts,
        retryAt: new Date(now() + delayMs).toISOString(),
      });
      await sleep(delayMs, call.signal);
    }
  };
}

async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new ObnovaError('SERVICE_RESPONSE_INVALID', `answer of ${declared} bytes exceeds ${maxBytes}`, { size: declared });
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > maxBytes) throw new ObnovaError('SERVICE_RESPONSE_INVALID', `answer of ${body.byteLength} bytes exceeds ${maxBytes}`, { size: body.byteLength });
  return body;
}

/** A refusal by the service, with every failing eligibility rule when it was about the certificate. */
export class ServiceProblemError extends ObnovaError {
  readonly reasons: Reason[];
  constructor(code: ErrorCode, message: string, details: ConstructorParameters<typeof ObnovaError>[2], reasons: Reason[]) {
    super(code, message, details);
    this.reasons = reasons;
  }
}

/** The service's problem+json as an ObnovaError with its code; anything else as SERVICE_ERROR with the status. */
export function problemError(operation: string, status: number, contentType: string, body: Uint8Array): ObnovaError {
  let problem: ReturnType<typeof problemSchema.safeParse> | undefined;
  try {
    problem = problemSchema.safeParse(JSON.parse(new TextDecoder().decode(body)));
  } catch {
    problem = undefined;
  }
  if (problem?.success) {
    const known = errorCodeSchema.safeParse(problem.data.code);
    const code: ErrorCode = known.success && known.data !== 'INTERNAL' ? known.data : 'SERVICE_ERROR';
    const details = { ...problem.data.details, operation, status, ...(code === 'SERVICE_ERROR' ? { serviceCode: problem.data.code } : {}) };
    return new ServiceProblemError(code, `${operation}: ${problem.data.title}`, details, problem.data.reasons ?? []);
  }
  const fallback: ErrorCode = status === 503 ? 'RENEWAL_OVERLOADED' : status === 429 ? 'RENEWAL_RATE_LIMITED' : 'SERVICE_ERROR';
  return new ObnovaError(fallback, `${operation}: HTTP ${status}${contentType ? ` (${contentType.split(';')[0]})` : ''}`, { operation, status });
}
