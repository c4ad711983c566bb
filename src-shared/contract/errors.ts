/**
 * Stable error codes shared by main, preload, renderer, CLI and service.
 * Codes never change meaning once released; user words live in src-shared/i18n.
 */
import { z } from 'zod';

export const errorCodes = [
  // generic
  'INTERNAL',
  'INPUT_INVALID',
  'CALL_UNKNOWN',
  'CANCELLED',
  // bridge (web mode)
  'BRIDGE_UNAUTHORIZED',
  'BRIDGE_UNAVAILABLE',
  // PKCS#11 module
  'TOKEN_MODULE_NOT_CONFIGURED',
  'TOKEN_MODULE_NOT_FOUND',
  'TOKEN_MODULE_INVALID',
  'TOKEN_MODULE_INIT_FAILED',
  // slots and tokens
  'TOKEN_NOT_PRESENT',
  'TOKEN_SLOT_NOT_FOUND',
  'TOKEN_NO_CERTIFICATES',
  'TOKEN_REMOVED',
  'TOKEN_PIN_INCORRECT',
  'TOKEN_PIN_LOCKED',
  'TOKEN_PIN_LEN_RANGE',
  'TOKEN_PIN_EXPIRED',
  'TOKEN_NOT_LOGGED_IN',
  'TOKEN_MEMORY_FULL',
  'TOKEN_MECHANISM_UNSUPPORTED',
  'TOKEN_WRITE_PROTECTED',
  'TOKEN_BUSY',
  'TOKEN_PKCS11_ERROR',
  // certificates
  'CERT_PARSE_FAILED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED_ISSUER',
  'CERT_BAD_SIGNATURE',
  'CERT_NOT_QUALIFIED',
  'CERT_REVOKED',
  // certificate authority (src-service/ca)
  'CA_CONFIG_INVALID',
  'CA_PAYEE_ACCOUNT_INVALID',
  'CA_ALREADY_INITIALIZED',
  'CA_NOT_INITIALIZED',
  'CA_BACKUP_INVALID',
  'CA_DATABASE_URL_INVALID',
  'CA_HSM_TOKEN_NOT_FOUND',
  'CA_HSM_KEY_NOT_FOUND',
  'CA_HSM_PIN_MISSING',
  'CA_HSM_BUSY',
  'CA_HSM_SIGN_FAILED',
  'CA_CSR_INVALID',
  'CA_CSR_BAD_SIGNATURE',
  'CA_CSR_WEAK_KEY',
  'CA_CSR_SUBJECT_MISMATCH',
  'CA_HOLDER_NOT_FOUND',
  'CA_HOLDER_INVALID',
  'CA_PROFILE_NOT_FOUND',
  'CA_PROFILE_HOLDER_MISMATCH',
  'CA_CERT_NOT_FOUND',
  'CA_CERT_ALREADY_REVOKED',
  'CA_REVOCATION_REASON_INVALID',
  'CA_OCSP_REQUEST_INVALID',
  'CA_CARD_TOKEN_NOT_FOUND',
  'CA_CARD_PIN_MISSING',
  'CA_CARD_ALREADY_REGISTERED',
  'CA_DATABASE_UNAVAILABLE',
  'CA_DATABASE_BUSY',
  'CA_ADMIN_START_FAILED',
  'CA_LISTEN_INSECURE',
  // PKI core (src-shared/pki): encodings, signatures, CMS, PKCS#10, chains, revocation
  'PKI_INPUT_TOO_LARGE',
  'PKI_PEM_INVALID',
  'PKI_ALGORITHM_UNSUPPORTED',
  'PKI_SIGNER_FAILED',
  'PKCS7_PARSE_FAILED',
  // CMP (RFC 4210 / 9483) key update
  'CMP_MESSAGE_INVALID',
  'CMP_PROTECTION_INVALID',
  'CMP_RESPONSE_MISMATCH',
  'CMP_REFUSED',
  'CMS_PARSE_FAILED',
  'CMS_NOT_SIGNED_DATA',
  'CMS_NO_SIGNER',
  'CMS_MULTIPLE_SIGNERS',
  'CMS_CONTENT_MISSING',
  'CMS_ATTRIBUTE_MISSING',
  'CMS_ATTRIBUTE_INVALID',
  'CMS_CONTENT_TYPE_MISMATCH',
  'CMS_DIGEST_MISMATCH',
  'CMS_SIGNER_CERT_MISSING',
  'CMS_SIGNING_CERT_MISMATCH',
  'CMS_BAD_SIGNATURE',
  'CSR_PARSE_FAILED',
  'CSR_BAD_SIGNATURE',
  'CERT_ISSUER_NOT_CA',
  'CERT_PATH_TOO_LONG',
  'OCSP_NO_URL',
  'OCSP_HTTP_FAILED',
  'OCSP_RESPONSE_INVALID',
  'OCSP_RESPONSE_ERROR',
  'OCSP_BAD_SIGNATURE',
  'OCSP_RESPONDER_UNAUTHORIZED',
  'OCSP_NONCE_MISMATCH',
  'OCSP_RESPONSE_STALE',
  'OCSP_CERT_ID_MISMATCH',
  'CRL_NO_URL',
  'CRL_HTTP_FAILED',
  'CRL_PARSE_FAILED',
  'CRL_BAD_SIGNATURE',
  'CRL_STALE',
  'CRL_ISSUER_MISMATCH',
  'CERT_KEY_USAGE_INVALID',
  // renewal service (src-service/renewal): eligibility, protocol, orders, payments
  'RENEWAL_CERT_UNKNOWN_ISSUER',
  'RENEWAL_CERT_NOT_ON_RECORD',
  'RENEWAL_CERT_REVOKED',
  'RENEWAL_CERT_EXPIRED',
  'RENEWAL_HOLDER_DATA_CHANGED',
  'RENEWAL_TOO_EARLY',
  'RENEWAL_PERSONAL_NUMBER_MISSING',
  'RENEWAL_LEGAL_ENTITY_PROCEDURE',
  'RENEWAL_KEY_TYPE_NOT_ACCEPTED',
  'RENEWAL_NOT_ELIGIBLE',
  'RENEWAL_ORDER_EXISTS',
  'RENEWAL_CHALLENGE_UNKNOWN',
  'RENEWAL_CHALLENGE_EXPIRED',
  'RENEWAL_CHALLENGE_USED',
  'RENEWAL_SIGNATURE_INVALID',
  'RENEWAL_SIGNER_MISMATCH',
  'RENEWAL_DOCUMENT_INVALID',
  'RENEWAL_CSR_SAME_KEY',
  'RENEWAL_RATE_LIMITED',
  'RENEWAL_OVERLOADED',
  'RENEWAL_UNAUTHORIZED',
  'RENEWAL_MEDIA_TYPE_UNSUPPORTED',
  'RENEWAL_BODY_TOO_LARGE',
  'ORDER_NOT_FOUND',
  'ORDER_TRANSITION_INVALID',
  'ORDER_NOT_PAID',
  'ORDER_PATH_MISMATCH',
  'ORDER_ALREADY_ISSUED',
  'PAYMENT_STATEMENT_INVALID',
  'PAYMENT_AMOUNT_MISMATCH',
  'PAYMENT_REFERENCE_UNKNOWN',
  // token layer: login, keys, signing, certificate writing, PIN management (src-main/token)
  'TOKEN_PIN_INVALID',
  'TOKEN_PUK_INCORRECT',
  'TOKEN_PUK_LOCKED',
  'TOKEN_PIN_UNBLOCK_UNSUPPORTED',
  'TOKEN_KEY_NOT_FOUND',
  'TOKEN_OBJECT_NOT_FOUND',
  'TOKEN_CERTIFICATE_KEY_MISMATCH',
  'TOKEN_WRITE_NOT_STORED',
  // the app's renewal journey: service client, order store, receive journal (src-main/renewal, service-client)
  'SERVICE_UNREACHABLE',
  'SERVICE_RESPONSE_INVALID',
  'SERVICE_ERROR',
  'SERVICE_NOT_CONFIGURED',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = (typeof errorCodes)[number];

/** An error as it crosses a process boundary: a code, a developer sentence, and safe details. */
export const appErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;
export type ErrorDetails = NonNullable<AppError['details']>;

/** Thrown inside a process; converted to an AppError value at every boundary. */
export class ObnovaError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObnovaError';
    this.code = code;
    this.details = details;
  }

  toValue(): AppError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** Any thrown thing as an AppError; unknown errors become INTERNAL without leaking their text. */
export function toAppError(error: unknown): AppError {
  if (error instanceof ObnovaError) return error.toValue();
  return { code: 'INTERNAL', message: 'Unexpected internal error' };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: appErrorSchema })]);
