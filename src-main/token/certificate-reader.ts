/** Certificate objects of one token as the contract's CertificateEntry values; no PIN needed. */
import type { Session } from 'graphene-pk11';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CertificateEntry } from '../../src-shared/contract/schemas/certificate.js';
import type { TokenInfo } from '../../src-shared/contract/schemas/token.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { privateKeyEvidence, visiblePrivateKeyIds, visiblePublicKeys } from './key-evidence.js';
import { type CertificateObject, readCertificateObjects } from './certificate-values.js';

/** Every certificate on the token; an unparseable one becomes an unreadable entry, never a failure. */
export async function readCertificates(session: Session, token: TokenInfo): Promise<CertificateEntry[]> {
  return certificateEntries(session, token, readCertificateObjects(session));
}

/** The entries of certificate objects already read (the private-key evidence still needs the session). */
export async function certificateEntries(session: Session, token: TokenInfo, objects: readonly CertificateObject[]): Promise<CertificateEntry[]> {
  if (objects.length === 0) return [];
  const privateKeyIds = visiblePrivateKeyIds(session);
  const parsed = new Map<CertificateObject, Certificate>();
  for (const object of objects) {
    if (!object.value) continue;
    try {
      parsed.set(object, await Certificate.fromDer(new Uint8Array(object.value)));
    } catch {
      // reported as an unreadable entry below
    }
  }
  // A visible private key with the certificate's CKA_ID settles its evidence: public keys are read only for the others.
  const withoutPrivateKey = [...parsed].filter(([object]) => !privateKeyIds.has(object.id.toString('hex')));
  const publicKeys = visiblePublicKeys(session, withoutPrivateKey.map(([, cert]) => cert.subjectPublicKeyInfo));
  const entries: CertificateEntry[] = [];
  for (const object of objects) {
    const ref = { slotId: token.slotId, tokenLabel: token.label, tokenSerial: token.serialNumber, objectLabel: object.label, objectId: object.id.toString('hex') };
    try {
      if (!object.value) throw new ObnovaError('CERT_PARSE_FAILED', 'the certificate object has no readable CKA_VALUE');
      const cert = parsed.get(object) ?? (await Certificate.fromDer(new Uint8Array(object.value)));
      const evidence = privateKeyEvidence(object.id, cert.subjectPublicKeyInfo, privateKeyIds, publicKeys);
      entries.push({
        ...ref,
        readable: true,
        subject: cert.subject,
        subjectCommonName: cert.subjectCommonName,
        issuer: cert.issuer,
        issuerCommonName: cert.issuerCommonName,
        serialNumber: cert.serialNumber,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        fingerprintSha256: cert.fingerprintSha256,
        keyAlgorithm: cert.keyAlgorithm,
        hasPrivateKey: evidence !== 'none',
        privateKeyEvidence: evidence,
        qualified: cert.isQualified,
        isCertificateAuthority: cert.isCertificateAuthority,
      });
    } catch (error) {
      // Token failures (removed, session gone) stop the listing; only the certificate's own defects are kept as entries.
      if (error instanceof ObnovaError && error.code.startsWith('TOKEN_')) throw error;
      const problem = error instanceof ObnovaError && error.code === 'CERT_PARSE_FAILED'
        ? error.toValue()
        : { code: 'CERT_PARSE_FAILED' as const, message: 'the certificate could not be interpreted' };
      entries.push({ ...ref, readable: false, problem });
    }
  }
  // Modules return objects in no promised order (SoftHSM's changes between sessions): sort for stable lists.
  return entries.sort((a, b) => a.objectId.localeCompare(b.objectId) || a.objectLabel.localeCompare(b.objectLabel));
}
