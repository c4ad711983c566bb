/** Saving a copy of a certificate from a card: DER, PEM, PKCS#7 chain or the printable data sheet. */
import { z } from 'zod';
import { localeSchema } from './app.js';

export const exportFormatSchema = z.enum(['der', 'pem', 'p7b', 'pdf']);
export type ExportFormatName = z.infer<typeof exportFormatSchema>;

export const exportCertificateInputSchema = z
  .object({
    /** Decimal CK_SLOT_ID of the token, as certificates.list reports it. */
    slotId: z.string().regex(/^\d+$/, 'slot ID is a decimal number'),
    /** CKA_ID of the certificate object, lowercase hex (certificates.list `objectId`). */
    objectId: z.string().regex(/^[0-9a-f]{0,128}$/),
    /** SHA-256 of the certificate, to pick the right one when several objects share a CKA_ID. */
    fingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    format: exportFormatSchema,
    /** Language of the PDF data sheet; the system locale when absent. */
    locale: localeSchema.optional(),
  })
  .strict();
export type ExportCertificateInput = z.infer<typeof exportCertificateInputSchema>;

export const exportedFileSchema = z.object({
  /** Suggested file name, ASCII, with the format's extension. */
  fileName: z.string().regex(/^[a-z0-9-]+\.(cer|pem|p7b|pdf)$/),
  mimeType: z.string(),
  /** The file's bytes, standard base64 (the renderer turns them into a download or a save). */
  base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  size: z.number().int().positive(),
  /** Certificates in the file: 1, or the certificate and its chain for p7b. */
  certificates: z.number().int().positive(),
});
export type ExportedFileView = z.infer<typeof exportedFileSchema>;
