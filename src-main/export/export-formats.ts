/** The files a holder can save of a certificate: what each format is called, its extension and MIME type. */
export const exportFormats = ['der', 'pem', 'p7b', 'pdf'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Extension and MIME type per format (RFC 2585 §4.1 for .cer, RFC 5652 certs-only for .p7b). */
export const formatFiles: Readonly<Record<ExportFormat, { extension: string; mimeType: string }>> = {
  der: { extension: 'cer', mimeType: 'application/pkix-cert' },
  pem: { extension: 'pem', mimeType: 'application/x-pem-file' },
  p7b: { extension: 'p7b', mimeType: 'application/x-pkcs7-certificates' },
  pdf: { extension: 'pdf', mimeType: 'application/pdf' },
};

/** One file ready to be saved or downloaded. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** `ana-novak-1f2e3d4c.cer`: the holder's name in ASCII and the serial's tail, so several exports do not collide. */
export function suggestedFileName(commonName: string | null, serialHex: string, format: ExportFormat): string {
  const slug = (commonName ?? 'certificate')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'dj')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${slug || 'certificate'}-${serialHex.slice(-8)}.${formatFiles[format].extension}`;
}
