/** The renewal journey in the app: the eligibility checklist (Order step) and what it is about. */
import { z } from 'zod';
import { appErrorSchema, errorCodeSchema } from '../errors.js';
import { priceSchema, renewalPathSchema } from '../protocol/policy.js';

/** Which certificate on which card: what certificates.list reports for it. */
export const certificateRefSchema = z
  .object({
    slotId: z.string().regex(/^\d+$/, 'slot ID is a decimal number'),
    objectId: z.string().regex(/^[0-9a-f]{0,128}$/),
    fingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type CertificateRef = z.infer<typeof certificateRefSchema>;

/** The checklist rows, in the order the Order screen shows them. */
export const checkIdSchema = z.enum(['valid', 'issued-by-ca', 'not-expired', 'not-revoked', 'data-unchanged', 'online-renewal', 'renewal-window']);
export type CheckId = z.infer<typeof checkIdSchema>;

export const checkItemSchema = z.object({
  id: checkIdSchema,
  /** `unknown`: could not be decided (service or revocation source unreachable); never silently a pass. */
  status: z.enum(['pass', 'fail', 'unknown']),
  /** Why it failed or is unknown; the app's words for it come from i18n `errors.<code>`. */
  code: errorCodeSchema.nullable(),
  /** Where the verdict came from. */
  source: z.enum(['local', 'service', 'both']),
  /** What to do instead: `apply-at-registration-office`, `wait-for-window`, `follow-steps`, `new-application`, `retry`; null when nothing. */
  instead: z.string().nullable(),
});
export type CheckItem = z.infer<typeof checkItemSchema>;

export const eligibilityViewSchema = z.object({
  certificate: z.object({
    slotId: z.string(),
    objectId: z.string(),
    fingerprintSha256: z.string(),
    subject: z.string(),
    commonName: z.string().nullable(),
    issuerCommonName: z.string().nullable(),
    serialNumber: z.string(),
    notAfter: z.iso.datetime(),
    /** Whole days until notAfter (negative once expired), for the headline. */
    daysToExpiry: z.number().int(),
  }),
  checks: z.array(checkItemSchema),
  /** True when every check passed and the service offers an online path. */
  eligible: z.boolean(),
  path: renewalPathSchema.nullable(),
  /** Step ids of the original-issuance procedure when that is the path. */
  steps: z.array(z.string()),
  windowOpensAt: z.iso.datetime().nullable(),
  price: priceSchema.nullable(),
  currency: z.enum(['EUR', 'RSD']).nullable(),
  /** The service's verdict could not be had: why (the checklist then shows `unknown` rows). */
  serviceProblem: appErrorSchema.nullable(),
  /** How revocation was decided locally: ocsp, crl, or null when neither answered. */
  revocationSource: z.enum(['ocsp', 'crl']).nullable(),
  checkedAt: z.iso.datetime(),
});
export type EligibilityView = z.infer<typeof eligibilityViewSchema>;
