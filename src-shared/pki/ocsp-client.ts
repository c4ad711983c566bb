/** Asks the OCSP responder named in the certificate's AIA (RFC 6960 Appendix A.1, HTTP POST). */
import { ObnovaError } from '../contract/errors.js';
import type { Certificate } from './certificate.js';
import { defaultFetch, fetchBytes, type FetchLike } from './http-fetch.js';
import { buildOcspRequest } from './ocsp-request.js';
import { verifyOcspResponse } from './ocsp-response.js';
import type { RevocationResult } from './revocation-status.js';

/** Largest OCSP response read. */
export const maxOcspResponseBytes = 256 * 1024;

export interface OcspOptions {
  fetch?: FetchLike;
  now?: Date;
  /** Overrides the AIA URL. */
  url?: string;
  /** Send and require a nonce (default true); responders serving pre-produced responses need false. */
  nonce?: boolean;
  timeoutMs?: number;
  maxSkewMs?: number;
  /** Oldest response accepted when it has no nextUpdate. */
  maxAgeMs?: number;
  trustedResponders?: Certificate[];
}

/** Status of `certificate` from OCSP; throws a coded OCSP_* error when no trustworthy answer was had. */
export async function checkOcsp(certificate: Certificate, issuer: Certificate, options: OcspOptions = {}): Promise<RevocationResult> {
  const url = options.url ?? certificate.ocspUrls.find((u) => /^https?:/i.test(u));
  if (!url) throw new ObnovaError('OCSP_NO_URL', `${certificate.subject} names no HTTP OCSP responder`);
  const request = await buildOcspRequest(certificate, issuer, options.nonce ?? true);
  const body = await fetchBytes(url, {
    fetch: options.fetch ?? defaultFetch,
    method: 'POST',
    body: request.der,
    contentType: 'application/ocsp-request',
    accept: 'application/ocsp-response',
    maxBytes: maxOcspResponseBytes,
    timeoutMs: options.timeoutMs ?? 10_000,
    code: 'OCSP_HTTP_FAILED',
  });
  const verdict = await verifyOcspResponse(body, {
    request,
    issuer,
    now: options.now ?? new Date(),
    maxSkewMs: options.maxSkewMs ?? 5 * 60_000,
    maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
    trustedResponders: options.trustedResponders ?? [],
  });
  return { ...verdict, source: 'ocsp', url };
}
