/** CRL download and checks (RFC 5280 §5, §6.3): issuer, signature, nextUpdate; cached until nextUpdate. */
import 'reflect-metadata';
import { X509Crl } from '@peculiar/x509';
import { ObnovaError } from '../contract/errors.js';
import type { Certificate } from './certificate.js';
import { signedParts } from './der-parts.js';
import { toHex } from './encoding.js';
import { defaultFetch, fetchBytes, type FetchLike } from './http-fetch.js';
import { derFromPemOrDer } from './pem.js';
import { reasonName, type RevocationResult } from './revocation-status.js';
import { verifySignature } from './signature.js';

/** Largest CRL downloaded; a national CA's CRL is rarely over a few MB. */
export const maxCrlBytes = 20 * 1024 * 1024;

export interface CrlOptions {
  fetch?: FetchLike;
  now?: Date;
  timeoutMs?: number;
  /** Keeps verified CRLs until their nextUpdate; share one per process. */
  cache?: CrlCache;
  /** Tolerated clock difference. */
  maxSkewMs?: number;
}

interface CachedCrl {
  crl: X509Crl;
  issuerFingerprint: string;
}

/** Verified CRLs by URL, each dropped once `nextUpdate` has passed. */
export class CrlCache {
  readonly #entries = new Map<string, CachedCrl>();

  get(url: string, issuer: Certificate, now: Date): X509Crl | null {
    const hit = this.#entries.get(url);
    if (!hit || hit.issuerFingerprint !== issuer.fingerprintSha256) return null;
    if (!hit.crl.nextUpdate || hit.crl.nextUpdate.getTime() <= now.getTime()) {
      this.#entries.delete(url);
      return null;
    }
    return hit.crl;
  }

  set(url: string, issuer: Certificate, crl: X509Crl): void {
    this.#entries.set(url, { crl, issuerFingerprint: issuer.fingerprintSha256 });
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Parses and verifies a CRL issued by `issuer` and current at `now`. */
export async function verifyCrl(bytes: Uint8Array, issuer: Certificate, now: Date, maxSkewMs = 5 * 60_000): Promise<X509Crl> {
  let crl: X509Crl;
  let der: Uint8Array;
  try {
    der = derFromPemOrDer(bytes, 'X509 CRL');
    crl = new X509Crl(der);
    void [crl.issuer, crl.thisUpdate, crl.nextUpdate, crl.entries.length];
  } catch (cause) {
    throw new ObnovaError('CRL_PARSE_FAILED', 'value is not an X.509 CRL', undefined, { cause });
  }
  if (toHex(new Uint8Array(crl.issuerName.toArrayBuffer())) !== issuer.subjectNameHex) {
    throw new ObnovaError('CRL_ISSUER_MISMATCH', `CRL is issued by ${crl.issuer}, not ${issuer.subject}`);
  }
  const parts = signedParts(der);
  if (!parts) throw new ObnovaError('CRL_PARSE_FAILED', 'CRL is not SEQUENCE { tbs, algorithm, signature }');
  if (!(await verifySignature({ spki: issuer.subjectPublicKeyInfo, algorithm: parts.algorithm, data: parts.tbs, signature: parts.signature }))) {
    throw new ObnovaError('CRL_BAD_SIGNATURE', `CRL signature does not verify with the key of ${issuer.subject}`);
  }
  if (crl.thisUpdate.getTime() > now.getTime() + maxSkewMs) throw new ObnovaError('CRL_STALE', `CRL thisUpdate ${crl.thisUpdate.toISOString()} is in the future`);
  // RFC 5280 §5.1.2.5: conforming CRLs carry nextUpdate; without it we cannot tell whether it is current.
  if (!crl.nextUpdate || crl.nextUpdate.getTime() < now.getTime() - maxSkewMs) {
    throw new ObnovaError('CRL_STALE', `CRL is past its nextUpdate ${crl.nextUpdate?.toISOString() ?? '(none)'}`);
  }
  return crl;
}

/** Status of `certificate` from the first CRL distribution point that yields a valid CRL. */
export async function checkCrl(certificate: Certificate, issuer: Certificate, options: CrlOptions = {}): Promise<RevocationResult> {
  const urls = certificate.crlUrls.filter((u) => /^https?:/i.test(u));
  if (urls.length === 0) throw new ObnovaError('CRL_NO_URL', `${certificate.subject} names no HTTP CRL distribution point`);
  const now = options.now ?? new Date();
  let lastError: unknown;
  for (const url of urls) {
    try {
      let crl = options.cache?.get(url, issuer, now) ?? null;
      if (!crl) {
        const bytes = await fetchBytes(url, { fetch: options.fetch ?? defaultFetch, maxBytes: maxCrlBytes, timeoutMs: options.timeoutMs ?? 15_000, code: 'CRL_HTTP_FAILED' });
        crl = await verifyCrl(bytes, issuer, now, options.maxSkewMs);
        options.cache?.set(url, issuer, crl);
      }
      const times = { source: 'crl' as const, url, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate ?? null };
      const entry = crl.findRevoked(certificate.x509);
      if (!entry) return { status: 'good', ...times };
      // certificateHold that was released is removeFromCRL only in delta CRLs; a listed hold still means "not good now".
      return { status: 'revoked', reason: reasonName(entry.reason), revokedAt: entry.revocationDate, ...times };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
