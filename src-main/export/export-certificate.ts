/** A certificate (and its chain) as DER, PEM, PKCS#7 (.p7b) or the PDF data sheet. */
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import { toPem } from '../../src-shared/pki/pem.js';
import { encodePkcs7Chain } from '../../src-shared/pki/pkcs7-chain.js';
import { buildDataSheet } from './data-sheet.js';
import { renderDataSheetPdf } from './data-sheet-pdf.js';
import { type ExportedFile, type ExportFormat, formatFiles, suggestedFileName } from './export-formats.js';

export interface ExportInput {
  certificate: Certificate;
  /** Issuing CA first, up to the root; only the .p7b carries it. */
  chain: Certificate[];
  format: ExportFormat;
  locale: Locale;
  now?: Date;
}

/** The file for one format; DER and PEM are the certificate alone, which is what portals upload. */
export async function exportCertificate(input: ExportInput): Promise<ExportedFile> {
  const { certificate, format } = input;
  const meta = { fileName: suggestedFileName(certificate.subjectCommonName, certificate.serialNumber, format), mimeType: formatFiles[format].mimeType };
  switch (format) {
    case 'der':
      return { ...meta, bytes: certificate.der };
    case 'pem':
      return { ...meta, bytes: new TextEncoder().encode(toPem(certificate.der, 'CERTIFICATE')) };
    case 'p7b':
      return { ...meta, bytes: encodePkcs7Chain([certificate, ...input.chain]) };
    case 'pdf':
      return { ...meta, bytes: await renderDataSheetPdf(await buildDataSheet(certificate, input.locale, input.now), input.now) };
    default:
      return assertNever(format);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled export format ${String(value)}`);
}
