/** The injectable HTTP fetch the revocation clients use (a subset of WHATWG fetch), with size and time limits. */
import { type ErrorCode, ObnovaError } from '../contract/errors.js';

/** What the clients need from `fetch`; `globalThis.fetch` fits, tests pass their own. */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> }>;

/** The platform fetch, looked up at call time so tests and Electron can replace it. */
export const defaultFetch: FetchLike = (url, init) => globalThis.fetch(url, init as RequestInit) as ReturnType<FetchLike>;

export interface FetchBytesOptions {
  fetch: FetchLike;
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  accept?: string;
  maxBytes: number;
  timeoutMs: number;
  /** Code for network errors, HTTP errors and oversize bodies. */
  code: ErrorCode;
}

/** Fetches a body as bytes; every failure is `options.code` with the URL and status in details. */
export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(url)) throw new ObnovaError(options.code, `only http(s) URLs are fetched, not ${url}`, { url });
  const headers: Record<string, string> = {};
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.accept) headers.accept = options.accept;
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await options.fetch(url, { method: options.method ?? 'GET', headers, body: options.body, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (cause) {
    throw new ObnovaError(options.code, `request to ${url} failed`, { url }, { cause });
  }
  if (!response.ok) throw new ObnovaError(options.code, `${url} answered HTTP ${response.status}`, { url, status: response.status });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw new ObnovaError(options.code, `${url} body of ${declared} bytes exceeds ${options.maxBytes}`, { url, size: declared });
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (cause) {
    throw new ObnovaError(options.code, `reading the body from ${url} failed`, { url }, { cause });
  }
  if (body.byteLength > options.maxBytes) throw new ObnovaError(options.code, `${url} body of ${body.byteLength} bytes exceeds ${options.maxBytes}`, { url, size: body.byteLength });
  return new Uint8Array(body);
}
