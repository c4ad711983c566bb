/** The diagnostics report: what Obnova found on this computer, and a verdict with a fix per check. */
import { z } from 'zod';
import { appErrorSchema } from '../errors.js';
import { moduleInfoSchema, tokenFactsSchema, tokenInfoSchema } from './token.js';

/** Stable verdict codes; the words of each fix live in src-shared/i18n under diagnostics.fix.<code>. */
export const verdictCodes = [
  'APP_INFO',
  'MODULE_OK',
  'MODULE_NONE_INSTALLED',
  'MODULE_NOT_FOUND',
  'MODULE_INVALID',
  'MODULE_INIT_FAILED',
  'MODULE_CONFIG_INVALID',
  'MODULE_ERROR',
  'TOKEN_OK',
  'TOKEN_NONE',
  'TOKEN_PIN_LOCKED',
  'TOKEN_PIN_FINAL_TRY',
  'TOKEN_PIN_COUNT_LOW',
  'TOKEN_PIN_TO_BE_CHANGED',
  'TOKEN_PUK_LOCKED',
  'CERT_OK',
  'CERT_EXPIRING',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNREADABLE',
  'CERT_NONE_ON_TOKEN',
  'CERT_NO_PRIVATE_KEY',
  'CHAIN_OK',
  'CHAIN_UNTRUSTED',
  'CHAIN_INVALID',
  'REVOCATION_GOOD',
  'REVOCATION_REVOKED',
  'REVOCATION_UNKNOWN',
  'SERVICE_OK',
  'SERVICE_NOT_CONFIGURED',
  'SERVICE_UNREACHABLE',
  'SERVICE_HTTP_ERROR',
  'CLOCK_OK',
  'CLOCK_AHEAD',
  'CLOCK_BEHIND',
  'CLOCK_UNKNOWN',
  'READERS_TOOL_MISSING',
  'READERS_SERVICE_DOWN',
  'READERS_NONE',
  'READER_EMPTY',
  'CARD_KNOWN_INSTALLED',
  'CARD_MIDDLEWARE_MISSING',
  'CARD_UNKNOWN',
] as const;
export const verdictCodeSchema = z.enum(verdictCodes);
export type VerdictCode = z.infer<typeof verdictCodeSchema>;

const detailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const checkStatusSchema = z.enum(['ok', 'info', 'warning', 'error']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const diagnosticCheckSchema = z.object({
  /** What was checked: environment, modules, readers, tokens, certificates, service, clock. */
  area: z.enum(['environment', 'modules', 'readers', 'tokens', 'certificates', 'service', 'clock']),
  status: checkStatusSchema,
  verdict: verdictCodeSchema,
  /** The subject of the check (a module path, a token label, a reader name), when there is one. */
  subject: z.string().nullable(),
  /** What to do, in the report's language: the fix in words. */
  fix: z.string(),
  details: detailsSchema,
});
export type DiagnosticCheck = z.infer<typeof diagnosticCheckSchema>;

export const moduleReportSchema = z.object({
  path: z.string(),
  /** argument/environment: chosen by the user; settings: an extra path from Settings; probe: a known middleware path that exists. */
  source: z.enum(['argument', 'environment', 'settings', 'probe']),
  name: z.string().nullable(),
  exists: z.boolean(),
  loaded: z.boolean(),
  info: moduleInfoSchema.nullable(),
  error: appErrorSchema.nullable(),
});
export type ModuleReport = z.infer<typeof moduleReportSchema>;

/** A token as diagnostics sees it: the listing's fields plus its module and C_GetTokenInfo facts. */
export const tokenReportSchema = tokenInfoSchema.extend({
  modulePath: z.string(),
  /** Versions, memory and raw flags from C_GetTokenInfo; null when they could not be read. */
  facts: tokenFactsSchema.nullable().optional(),
});
export type TokenReport = z.infer<typeof tokenReportSchema>;

export const certificateChainSchema = z.object({
  valid: z.boolean(),
  /** Where the trust anchors came from: native-config/trust and <appData>/trust, else self-signed CA certificates on the cards. */
  anchorSource: z.enum(['trust-folder', 'card', 'none']),
  /** Subjects from the certificate up to the anchor (as far as the path was built). */
  path: z.array(z.string()),
  /** The PKI error code when the chain is not valid (CERT_UNTRUSTED_ISSUER, CERT_BAD_SIGNATURE, …). */
  code: z.string().nullable(),
  message: z.string().nullable(),
});
export type CertificateChain = z.infer<typeof certificateChainSchema>;

export const certificateRevocationSchema = z.object({
  status: z.enum(['good', 'revoked', 'unknown']),
  source: z.enum(['ocsp', 'crl']).nullable(),
  url: z.string().nullable(),
  revokedAt: z.string().nullable(),
  reason: z.string().nullable(),
  /** Error codes of the sources that gave no answer, in the order tried. */
  attempts: z.array(z.string()),
});
export type CertificateRevocation = z.infer<typeof certificateRevocationSchema>;

export const certificateReportSchema = z.object({
  modulePath: z.string(),
  slotId: z.string(),
  tokenLabel: z.string(),
  objectLabel: z.string(),
  readable: z.boolean(),
  subjectCommonName: z.string().nullable(),
  issuerCommonName: z.string().nullable(),
  serialNumber: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  fingerprintSha256: z.string().nullable(),
  hasPrivateKey: z.boolean(),
  qualified: z.boolean(),
  /** Whole days until notAfter (negative once expired). */
  daysLeft: z.number().int().nullable(),
  /** CKA_ID in lowercase hex. */
  objectId: z.string().optional(),
  /** The certification path to a trust anchor; null when not checked (unreadable or CA certificates). */
  chain: certificateChainSchema.nullable().optional(),
  /** OCSP-then-CRL status; null when not checked (offline, no valid chain issuer, expired, CA certificates). */
  revocation: certificateRevocationSchema.nullable().optional(),
});
export type CertificateReport = z.infer<typeof certificateReportSchema>;

export const readerReportSchema = z.object({
  name: z.string(),
  /** ATR of the card in the reader, upper-case hex with ":"; null when the reader is empty. */
  atr: z.string().nullable(),
  cards: z.array(
    z.object({
      name: z.string(),
      middleware: z.string(),
      middlewareName: z.string().nullable(),
      middlewareInstalled: z.boolean(),
      example: z.boolean(),
    }),
  ),
});
export type ReaderReport = z.infer<typeof readerReportSchema>;

export const readersReportSchema = z.object({
  /** The tool that listed the readers, or null when none is installed. */
  tool: z.enum(['opensc-tool']).nullable(),
  /** False when the PC/SC service could not be reached (pcscd not running). */
  serviceAvailable: z.boolean(),
  readers: z.array(readerReportSchema),
});
export type ReadersReport = z.infer<typeof readersReportSchema>;

export const serviceReportSchema = z.object({
  url: z.string().nullable(),
  reachable: z.boolean(),
  httpStatus: z.number().int().nullable(),
  /** The service's Date header, ISO 8601. */
  serverTime: z.string().nullable(),
  /** Local clock minus the service's, in seconds (positive: this computer is ahead). */
  clockSkewSeconds: z.number().nullable(),
  roundTripMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type ServiceReport = z.infer<typeof serviceReportSchema>;

export const diagnosticsReportSchema = z.object({
  generatedAt: z.iso.datetime(),
  locale: z.enum(['sl', 'sr-Latn', 'sr-Cyrl', 'en']),
  app: z.object({ name: z.literal('Obnova'), version: z.string(), mode: z.enum(['electron', 'web', 'cli']) }),
  os: z.object({ platform: z.string(), arch: z.string(), release: z.string(), version: z.string(), node: z.string() }),
  modules: z.array(moduleReportSchema),
  readers: readersReportSchema,
  tokens: z.array(tokenReportSchema),
  certificates: z.array(certificateReportSchema),
  service: serviceReportSchema,
  checks: z.array(diagnosticCheckSchema),
  /** The worst status of all checks. */
  overall: checkStatusSchema,
});
export type DiagnosticsReport = z.infer<typeof diagnosticsReportSchema>;

export const diagnosticsRunInputSchema = z
  .object({
    locale: z.enum(['sl', 'sr-Latn', 'sr-Cyrl', 'en']).optional(),
    /** Skip the network check (offline helpdesk runs). */
    skipService: z.boolean().optional(),
  })
  .strict();
export type DiagnosticsRunInput = z.infer<typeof diagnosticsRunInputSchema>;
