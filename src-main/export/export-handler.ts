/** The `export.certificate` call: the certificate from the card, its chain from the card and the trust anchors, as a file. */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type { ExportCertificateInput, ExportedFileView } from '../../src-shared/contract/schemas/export.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { toBase64 } from '../../src-shared/pki/encoding.js';
import type { CertificateSource } from './certificate-source.js';
import { exportCertificate } from './export-certificate.js';
import { issuerChain } from './issuer-chain.js';

export interface ExportHandlerDeps {
  source: CertificateSource;
  /** Trusted CA certificates; they complete a chain the card does not carry. */
  trustAnchors(): Promise<Certificate[]>;
  systemLocale(): Locale;
}

/** The certificate asked for and every CA certificate on the same card (candidates for its chain). */
export async function findOnCard(source: CertificateSource, slotId: string, objectId: string, fingerprintSha256?: string): Promise<{ certificate: Certificate; others: Certificate[] }> {
  const parsed: { objectId: string; cert: Certificate }[] = [];
  for (const value of await source.certificateValues(slotId)) {
    try {
      parsed.push({ objectId: value.objectId, cert: await Certificate.fromDer(value.der) });
    } catch {
      // An unreadable object can neither be exported nor complete a chain; certificates.list already shows it.
    }
  }
  const withId = parsed.filter((p) => p.objectId === objectId).map((p) => p.cert);
  // By fingerprint when given; else the holder's certificate (not a CA one) under this ID, else whatever is there.
  const chosen = fingerprintSha256
    ? withId.find((c) => c.fingerprintSha256 === fingerprintSha256)
    : (withId.find((c) => !c.isCertificateAuthority) ?? withId[0]);
  if (!chosen) throw new ObnovaError('TOKEN_OBJECT_NOT_FOUND', 'no readable certificate with this CKA_ID on the token', { slotId, objectId });
  return { certificate: chosen, others: parsed.map((p) => p.cert).filter((c) => c !== chosen && c.isCertificateAuthority) };
}

/** Builds the file; bytes travel as base64 because IPC, the bridge and the CLI all carry JSON. */
export function createExportHandler(deps: ExportHandlerDeps): (input: ExportCertificateInput) => Promise<ExportedFileView> {
  return async (input) => {
    const { certificate, others } = await findOnCard(deps.source, input.slotId, input.objectId, input.fingerprintSha256);
    const chain = input.format === 'p7b' ? await issuerChain(certificate, [...others, ...(await deps.trustAnchors())]) : [];
    const file = await exportCertificate({ certificate, chain, format: input.format, locale: input.locale ?? deps.systemLocale() });
    return { fileName: file.fileName, mimeType: file.mimeType, base64: toBase64(file.bytes), size: file.bytes.byteLength, certificates: 1 + chain.length };
  };
}
