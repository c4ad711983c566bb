/** Revocation status: OCSP first, the CRL when OCSP gives no trustworthy answer (never when it answers "unknown"). */
import { type AppError, toAppError } from '../contract/errors.js';
import type { Certificate } from './certificate.js';
import { checkCrl, type CrlCache } from './crl-client.js';
import type { FetchLike } from './http-fetch.js';
import { checkOcsp, type OcspOptions } from './ocsp-client.js';
import type { RevocationResult } from './revocation-status.js';

export interface RevocationOptions {
  fetch?: FetchLike;
  now?: Date;
  ocsp?: Omit<OcspOptions, 'fetch' | 'now'>;
  crlCache?: CrlCache;
  timeoutMs?: number;
}

/** The result of one source, or why there is none. */
export type RevocationCheck =
  | (RevocationResult & { attempts: AppError[] })
  | { status: 'unknown'; source: null; attempts: AppError[] };

/**
 * Checks `certificate` (issued by `issuer`). An OCSP "unknown" is returned as is: the responder is
 * authoritative for the CA and a CRL cannot vouch for a certificate the CA does not know.
 */
export async function checkRevocation(certificate: Certificate, issuer: Certificate, options: RevocationOptions = {}): Promise<RevocationCheck> {
  const attempts: AppError[] = [];
  try {
    return { ...(await checkOcsp(certificate, issuer, { ...options.ocsp, fetch: options.fetch, now: options.now, timeoutMs: options.timeoutMs })), attempts };
  } catch (error) {
    attempts.push(toAppError(error));
  }
  try {
    return { ...(await checkCrl(certificate, issuer, { fetch: options.fetch, now: options.now, cache: options.crlCache, timeoutMs: options.timeoutMs })), attempts };
  } catch (error) {
    attempts.push(toAppError(error));
  }
  return { status: 'unknown', source: null, attempts };
}
