/** The app's revocation check: the PKI client's OCSP-then-CRL with one CRL cache for the whole session. */
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { CrlCache } from '../../src-shared/pki/crl-client.js';
import type { FetchLike } from '../../src-shared/pki/http-fetch.js';
import { checkRevocation, type RevocationCheck } from '../../src-shared/pki/revocation.js';

export type RevocationChecker = (certificate: Certificate, issuer: Certificate) => Promise<RevocationCheck>;

/** A checker that keeps downloaded CRLs until their nextUpdate; `fetch` is for tests. */
export function createRevocationChecker(options: { fetch?: FetchLike; timeoutMs?: number; now?: () => Date } = {}): RevocationChecker {
  const crlCache = new CrlCache();
  return (certificate, issuer) =>
    // No nonce: the CA's responder serves pre-produced responses (RFC 5019 §2.2.1); freshness is checked instead.
    checkRevocation(certificate, issuer, { fetch: options.fetch, timeoutMs: options.timeoutMs ?? 10_000, now: options.now?.(), crlCache, ocsp: { nonce: false } });
}
