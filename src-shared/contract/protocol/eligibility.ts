/** `POST /v1/eligibility`: a certificate in, the verdict and every failing rule out. */
import { z } from 'zod';
import { errorCodeSchema } from '../errors.js';
import { priceSchema, renewalPathSchema } from './policy.js';

export const base64Schema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);

export const eligibilityRequestSchema = z.object({
  /** The current certificate, DER in base64. */
  certificate: base64Schema.max(90_000),
});
export type EligibilityRequest = z.infer<typeof eligibilityRequestSchema>;

export const reasonSchema = z.object({
  code: errorCodeSchema,
  /** A developer sentence in English; the app shows its own words for `code`. */
  message: z.string(),
  /** What to do instead, as an action id: `apply-at-registration-office`, `wait-for-window`, `follow-steps`. */
  instead: z.string().nullable(),
});
export type Reason = z.infer<typeof reasonSchema>;

export const eligibilityResponseSchema = z.object({
  /** True when the renewal can be ordered online now. */
  eligible: z.boolean(),
  /** The path the renewal takes; null when nothing can be done with this certificate. */
  path: renewalPathSchema.nullable(),
  reasons: z.array(reasonSchema),
  /** Step ids for `original-issuance`, from the policy. */
  steps: z.array(z.string()),
  certificate: z.object({ serial: z.string(), notAfter: z.string().datetime(), subject: z.string() }),
  /** When the renewal window opens. */
  windowOpensAt: z.string().datetime(),
  price: priceSchema.nullable(),
  currency: z.enum(['EUR', 'RSD']),
});
export type EligibilityResponse = z.infer<typeof eligibilityResponseSchema>;
