/**
 * What the app decides on its own before asking the service: the path to a trusted CA (signatures, CA
 * constraints), the validity period, and revocation (OCSP, then the CRL).
 */
import type { ErrorCode } from '../../src-shared/contract/errors.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { validateChain } from '../../src-shared/pki/chain.js';
import type { RevocationCheck } from '../../src-shared/pki/revocation.js';
import { issuerChain } from '../export/issuer-chain.js';
import type { RevocationChecker } from '../revocation/revocation-checker.js';

export interface LocalVerdict {
  /** The path to a trust anchor is sound (checked inside the certificate's validity, so expiry is reported apart). */
  chain: { ok: true; path: Certificate[] } | { ok: false; code: ErrorCode };
  expired: boolean;
  notYetValid: boolean;
  /** null when there is no issuer to ask about (untrusted chain). */
  revocation: RevocationCheck | null;
}

export interface LocalCheckOptions {
  trustAnchors: Certificate[];
  /** CA certificates found on the card. */
  intermediates: Certificate[];
  revocation: RevocationChecker;
  now: Date;
}

export async function runLocalChecks(certificate: Certificate, options: LocalCheckOptions): Promise<LocalVerdict> {
  const { now } = options;
  let chain: LocalVerdict['chain'];
  const result = await validateChain(certificate, { trustAnchors: options.trustAnchors, intermediates: options.intermediates, at: now });
  if (result.ok) chain = { ok: true, path: result.path };
  else if (result.code === 'CERT_EXPIRED' || result.code === 'CERT_NOT_YET_VALID') {
    // Expiry is its own row. An expired certificate's issuers may not have been valid when it was (a CA
    // re-keyed since, a backdated test certificate): the path is sound when every signature links to an anchor.
    const linked = await issuerChain(certificate, [...options.intermediates, ...options.trustAnchors]);
    const top = linked.at(-1);
    chain = top && options.trustAnchors.some((a) => a.fingerprintSha256 === top.fingerprintSha256) ? { ok: true, path: [certificate, ...linked] } : { ok: false, code: 'CERT_UNTRUSTED_ISSUER' };
  } else chain = { ok: false, code: result.code };
  const issuer = chain.ok ? chain.path[1] : undefined;
  let revocation: RevocationCheck | null = null;
  // A root (path of one) is never asked about; a self-signed leaf is not renewable anyway.
  if (issuer) revocation = await options.revocation(certificate, issuer);
  return { chain, expired: now > certificate.notAfter, notYetValid: now < certificate.notBefore, revocation };
}
