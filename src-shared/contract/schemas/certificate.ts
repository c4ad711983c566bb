/** Certificates as read from a token, for listing and choosing. */
import { z } from 'zod';
import { appErrorSchema } from '../errors.js';

const tokenRefSchema = z.object({
  slotId: z.string(),
  tokenLabel: z.string(),
  tokenSerial: z.string(),
  /** CKA_LABEL of the certificate object. */
  objectLabel: z.string(),
  /** CKA_ID of the certificate object, lowercase hex. */
  objectId: z.string(),
});

export const keyAlgorithmSchema = z.object({
  name: z.enum(['RSA', 'EC', 'Ed25519', 'Ed448', 'unknown']),
  /** RSA modulus bits or EC field size; null when unknown. */
  size: z.number().int().nullable(),
  /** Named curve for EC keys, e.g. P-256. */
  curve: z.string().nullable(),
});

export const certificateSummarySchema = tokenRefSchema.extend({
  readable: z.literal(true),
  subject: z.string(),
  subjectCommonName: z.string().nullable(),
  issuer: z.string(),
  issuerCommonName: z.string().nullable(),
  /** Serial number, lowercase hex without leading zero bytes' padding removed. */
  serialNumber: z.string(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  fingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyAlgorithm: keyAlgorithmSchema,
  /** True when a private key with the same CKA_ID is on the token (see privateKeyEvidence). */
  hasPrivateKey: z.boolean(),
  /**
   * How hasPrivateKey was decided without a PIN: a visible private key object, or a public key
   * object with the same CKA_ID and the same public key (cards hide private keys until login).
   */
  privateKeyEvidence: z.enum(['private-key-object', 'public-key-object', 'none']),
  /** QcCompliance statement (ETSI EN 319 412-5) present. */
  qualified: z.boolean(),
  isCertificateAuthority: z.boolean(),
});
export type CertificateSummary = z.infer<typeof certificateSummarySchema>;

/** A certificate object whose value could not be parsed: shown, never hidden, never fatal. */
export const unreadableCertificateSchema = tokenRefSchema.extend({
  readable: z.literal(false),
  problem: appErrorSchema,
});
export type UnreadableCertificate = z.infer<typeof unreadableCertificateSchema>;

export const certificateEntrySchema = z.discriminatedUnion('readable', [certificateSummarySchema, unreadableCertificateSchema]);
export type CertificateEntry = z.infer<typeof certificateEntrySchema>;

/** Something worth telling about a token that is not an error, e.g. it holds no certificates. */
export const noticeSchema = z.object({
  code: z.enum(['TOKEN_NO_CERTIFICATES']),
  slotId: z.string(),
  tokenLabel: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const certificateListSchema = z.object({
  certificates: z.array(certificateEntrySchema),
  notices: z.array(noticeSchema),
});
export type CertificateList = z.infer<typeof certificateListSchema>;
