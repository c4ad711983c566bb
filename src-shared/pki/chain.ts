/**
 * Certification path building and validation (a practical subset of RFC 5280 §6): names and key identifiers
 * link the path, each signature is checked, each certificate must be valid at the given time, and every issuer
 * must be a CA allowed to sign certificates. Failures carry the same codes the rest of the app shows.
 */
import { type ErrorCode, ObnovaError } from '../contract/errors.js';
import type { Certificate } from './certificate.js';

export interface ChainOptions {
  /** Certificates trusted as they are (roots, or a pinned issuing CA). */
  trustAnchors: Certificate[];
  /** Untrusted certificates that may complete the path (from a CMS, a token, a PKCS#7). */
  intermediates?: Certificate[];
  /** Validation time; now by default. */
  at?: Date;
  /** Also require the end-entity certificate to be EU qualified (QcCompliance). */
  requireQualified?: boolean;
  /** Longest path accepted, anchor included. */
  maxLength?: number;
}

export type ChainResult =
  | { ok: true; path: Certificate[] }
  | { ok: false; code: ErrorCode; message: string; certificate: Certificate; path: Certificate[] };

type Step = { ok: true; path: Certificate[] } | { ok: false; code: ErrorCode; message: string; certificate: Certificate; path: Certificate[] };

function issuerCandidates(cert: Certificate, pool: Certificate[]): Certificate[] {
  const aki = cert.authorityKeyIdentifier;
  return pool.filter((c) => {
    if (c.fingerprintSha256 === cert.fingerprintSha256) return false;
    if (c.subjectNameHex !== cert.issuerNameHex) return false;
    const ski = c.subjectKeyIdentifier;
    return !aki || !ski || aki === ski;
  });
}

async function build(cert: Certificate, anchors: Certificate[], pool: Certificate[], path: Certificate[], maxLength: number): Promise<Step> {
  if (anchors.some((a) => a.fingerprintSha256 === cert.fingerprintSha256)) return { ok: true, path: [...path, cert] };
  if (path.length + 1 >= maxLength) {
    return { ok: false, code: 'CERT_PATH_TOO_LONG', message: `no trust anchor within ${maxLength} certificates`, certificate: cert, path: [...path, cert] };
  }
  const here = [...path, cert];
  const candidates = issuerCandidates(cert, [...anchors, ...pool]).filter((c) => !here.some((p) => p.fingerprintSha256 === c.fingerprintSha256));
  let failure: Step | null = null;
  for (const issuer of candidates) {
    let signed: boolean;
    try {
      signed = await cert.isSignedBy(issuer);
    } catch (error) {
      // An algorithm we cannot verify (or a malformed signature field) is a verdict about this link, not a crash.
      const code = error instanceof ObnovaError ? error.code : 'CERT_PARSE_FAILED';
      failure ??= { ok: false, code, message: `signature of ${cert.subject} cannot be checked`, certificate: cert, path: here };
      continue;
    }
    if (!signed) {
      failure ??= { ok: false, code: 'CERT_BAD_SIGNATURE', message: `signature of ${cert.subject} does not verify with the key of ${issuer.subject}`, certificate: cert, path: here };
      continue;
    }
    const next = await build(issuer, anchors, pool, here, maxLength);
    if (next.ok) return next;
    if (!failure || failure.code === 'CERT_UNTRUSTED_ISSUER') failure = next;
  }
  return failure ?? { ok: false, code: 'CERT_UNTRUSTED_ISSUER', message: `no trusted issuer found for ${cert.subject}`, certificate: cert, path: here };
}

function checkPath(path: Certificate[], at: Date, requireQualified: boolean): Step {
  // Report the end entity's own problems first: they are what the holder can act on.
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!;
    if (at < cert.notBefore) return { ok: false, code: 'CERT_NOT_YET_VALID', message: `${cert.subject} is valid from ${cert.notBefore.toISOString()}`, certificate: cert, path };
    if (at > cert.notAfter) return { ok: false, code: 'CERT_EXPIRED', message: `${cert.subject} expired on ${cert.notAfter.toISOString()}`, certificate: cert, path };
    if (i === 0) continue;
    // RFC 5280 §6.1.4 (k), (l), (n): issuers must be CAs, within their path length, allowed keyCertSign.
    const bc = cert.basicConstraints;
    const usages = cert.keyUsages;
    const isAnchor = i === path.length - 1;
    if (!isAnchor || cert.x509.getExtension('2.5.29.19')) {
      if (!bc.ca) return { ok: false, code: 'CERT_ISSUER_NOT_CA', message: `${cert.subject} is not a CA certificate`, certificate: cert, path };
      if (usages && !usages.includes('keyCertSign')) return { ok: false, code: 'CERT_ISSUER_NOT_CA', message: `${cert.subject} may not sign certificates`, certificate: cert, path };
      const below = path.slice(1, i).filter((c) => !c.isSelfIssued).length;
      if (bc.pathLength !== null && below > bc.pathLength) {
        return { ok: false, code: 'CERT_PATH_TOO_LONG', message: `${cert.subject} allows ${bc.pathLength} CA certificates below it`, certificate: cert, path };
      }
    }
  }
  const leaf = path[0]!;
  if (requireQualified && !leaf.isQualified) return { ok: false, code: 'CERT_NOT_QUALIFIED', message: `${leaf.subject} has no QcCompliance statement`, certificate: leaf, path };
  return { ok: true, path };
}

/** Builds a path from `leaf` to a trust anchor and validates it at `options.at`; never throws for a bad certificate. */
export async function validateChain(leaf: Certificate, options: ChainOptions): Promise<ChainResult> {
  const at = options.at ?? new Date();
  const built = await build(leaf, options.trustAnchors, options.intermediates ?? [], [], options.maxLength ?? 8);
  if (!built.ok) return built;
  return checkPath(built.path, at, options.requireQualified ?? false);
}

/** {@link validateChain} that throws the failure as an ObnovaError and returns the path (leaf first, anchor last). */
export async function assertValidChain(leaf: Certificate, options: ChainOptions): Promise<Certificate[]> {
  const result = await validateChain(leaf, options);
  if (!result.ok) {
    throw new ObnovaError(result.code, result.message, { subject: result.certificate.subject, fingerprint: result.certificate.fingerprintSha256 });
  }
  return result.path;
}
