/** Assembles and signs one X.509 certificate with a CA key in the HSM. */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { HsmSigner } from './hsm-signer.js';
import type { BufferSource } from '../hsm/webcrypto-types.js';

export interface CertificateTemplate {
  serial: string;
  subject: x509.Name;
  issuer: x509.Name;
  /** DER SubjectPublicKeyInfo of the certified key. */
  spki: BufferSource;
  notBefore: Date;
  notAfter: Date;
  extensions: x509.Extension[];
}

/** Signs the template with `signer`; the TBS bytes go through the HSM queue. */
export async function signCertificate(template: CertificateTemplate, signer: HsmSigner): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: template.serial,
      subject: template.subject,
      issuer: template.issuer,
      publicKey: template.spki,
      notBefore: template.notBefore,
      notAfter: template.notAfter,
      extensions: template.extensions,
      signingKey: signer.privateKey,
      signingAlgorithm: signer.algorithm,
    },
    signer.webCrypto,
  );
}

/** `years` after `from`, minus one second so the validity is exactly that many years (RFC 5280 validity is inclusive). */
export function addYears(from: Date, years: number): Date {
  const to = new Date(from);
  to.setUTCFullYear(to.getUTCFullYear() + years);
  return new Date(to.getTime() - 1000);
}
