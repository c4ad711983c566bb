/**
 * Chain and revocation status of each holder certificate diagnostics found: a path to a trust anchor
 * (native-config/trust and <appData>/trust, else the self-signed CA certificates on the cards), then
 * OCSP-then-CRL with a short timeout. Never throws for what it finds: every outcome is a report field.
 */
import type { CertificateChain, CertificateReport, CertificateRevocation } from '../../src-shared/contract/schemas/diagnostics.js';
import { toAppError } from '../../src-shared/contract/errors.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { validateChain } from '../../src-shared/pki/chain.js';
import { createRevocationChecker } from '../revocation/revocation-checker.js';
import type { CertificateValue } from '../token/certificate-values.js';

export interface TrustCheckOptions {
  /** Anchors from the trust folders (empty when there are none). */
  anchors: Certificate[];
  /** Skip OCSP and CRL (offline runs). */
  offline: boolean;
  timeoutMs: number;
  now: Date;
}

/** A certificate value parsed, with the module it was read through (the same slot ID may exist in two modules). */
export interface ParsedValue {
  modulePath: string;
  value: CertificateValue;
  certificate: Certificate;
}

/** Parses what can be parsed; unparseable values are already CERT_UNREADABLE in the listing. */
export async function parseValues(modulePath: string, values: readonly CertificateValue[]): Promise<ParsedValue[]> {
  const parsed: ParsedValue[] = [];
  for (const value of values) {
    try {
      parsed.push({ modulePath, value, certificate: await Certificate.fromDer(value.der) });
    } catch {
      // Reported by the certificate listing as unreadable.
    }
  }
  return parsed;
}

/** Fills `chain` and `revocation` of each readable holder (non-CA) certificate report, in place. */
export async function checkCertificateTrust(reports: CertificateReport[], parsed: readonly ParsedValue[], options: TrustCheckOptions): Promise<void> {
  const onCards = parsed.map((p) => p.certificate);
  const cardAnchors = onCards.filter((c) => c.isCertificateAuthority && c.isSelfIssued);
  const anchors = options.anchors.length > 0 ? options.anchors : cardAnchors;
  const anchorSource: CertificateChain['anchorSource'] = options.anchors.length > 0 ? 'trust-folder' : cardAnchors.length > 0 ? 'card' : 'none';
  const revocation = createRevocationChecker({ timeoutMs: options.timeoutMs, now: () => options.now });
  const jobs: Array<Promise<void>> = [];
  for (const report of reports) {
    const own = parsed.find((p) => p.modulePath === report.modulePath && p.value.slotId === report.slotId && p.value.objectId === report.objectId && p.certificate.fingerprintSha256 === report.fingerprintSha256);
    if (!report.readable || !own || own.certificate.isCertificateAuthority) continue;
    const cert = own.certificate;
    // Validate inside the validity period: expiry is its own verdict, the chain question is about the issuer.
    const at = new Date(Math.min(Math.max(options.now.getTime(), cert.notBefore.getTime()), cert.notAfter.getTime()));
    jobs.push(
      (async () => {
        const result = await validateChain(cert, { trustAnchors: anchors, intermediates: onCards, at });
        report.chain = result.ok
          ? { valid: true, anchorSource, path: result.path.map((c) => c.subject), code: null, message: null }
          : { valid: false, anchorSource, path: result.path.map((c) => c.subject), code: result.code, message: result.message };
        const expired = cert.notAfter < options.now || cert.notBefore > options.now;
        if (options.offline || expired) {
          report.revocation = null;
          return;
        }
        // The issuer from the validated path; for an untrusted chain the named issuer on the cards still lets us ask its OCSP.
        const issuer = result.ok ? result.path[1] : onCards.find((c) => c.subjectNameHex === cert.issuerNameHex && c.fingerprintSha256 !== cert.fingerprintSha256);
        if (!issuer) {
          // Nobody to ask about it (OCSP and CRL need the issuer's key); CHAIN_UNTRUSTED already says why.
          report.revocation = null;
          return;
        }
        report.revocation = await revocationOf(() => revocation(cert, issuer));
      })(),
    );
  }
  await Promise.all(jobs);
}

async function revocationOf(check: () => ReturnType<ReturnType<typeof createRevocationChecker>>): Promise<CertificateRevocation> {
  try {
    const r = await check();
    const attempts = r.attempts.map((a) => a.code);
    if (r.source === null) return { status: 'unknown', source: null, url: null, revokedAt: null, reason: null, attempts };
    return {
      status: r.status,
      source: r.source,
      url: r.url,
      revokedAt: r.status === 'revoked' ? r.revokedAt.toISOString() : null,
      reason: r.status === 'revoked' ? r.reason : null,
      attempts,
    };
  } catch (error) {
    return { status: 'unknown', source: null, url: null, revokedAt: null, reason: null, attempts: [toAppError(error).code] };
  }
}
