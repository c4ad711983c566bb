/** `GET /v1/policy`: the market's renewal rules, prices and payment details, as policy data. */
import { z } from 'zod';

export const marketSchema = z.enum(['si', 'rs']);
export type Market = z.infer<typeof marketSchema>;

export const renewalPathSchema = z.enum(['existing-media', 'new-media', 'original-issuance']);
export type RenewalPath = z.infer<typeof renewalPathSchema>;

/** Amounts travel as integer minor units (cents, para) so no client rounds differently. */
export const minorAmountSchema = z.number().int().nonnegative();

export const priceSchema = z.object({
  /** Net amount in minor units. */
  net: minorAmountSchema,
  vat: minorAmountSchema,
  gross: minorAmountSchema,
});
export type Price = z.infer<typeof priceSchema>;

export const payeeSchema = z.object({
  name: z.string().min(1).max(33),
  street: z.string().min(1).max(33),
  city: z.string().min(1).max(33),
  /** IBAN (UPN QR) or the 18-digit domestic account (NBS IPS QR). */
  account: z.string().regex(/^([A-Z]{2}[0-9]{2}[0-9A-Z]{10,30}|[0-9]{18})$/),
  /** UPN purpose code (4 capital letters) or NBS IPS payment code (3 digits). */
  purposeCode: z.string().min(3).max(4),
  /** Reference model: `SI12` (UPN) or `97` (Serbian model 97). */
  referenceModel: z.enum(['SI12', '97']),
});

export const policySchema = z.object({
  market: marketSchema,
  currency: z.enum(['EUR', 'RSD']),
  /** VAT as basis points (2200 = 22 %), exact for any rate a law sets. */
  vatBasisPoints: z.number().int().min(0).max(10_000),
  paymentQr: z.enum(['upn-qr', 'nbs-ips-qr']),
  payee: payeeSchema,
  /** Days before expiry from which a renewal may be ordered. */
  renewalWindowDays: z.number().int().positive(),
  /** Days a pro-forma invoice stays payable before the order expires. */
  invoiceDueDays: z.number().int().positive(),
  /** A card is renewed on itself this many times; after that a new card is shipped. */
  renewalsPerCard: z.number().int().nonnegative(),
  prices: z.object({ 'existing-media': priceSchema, 'new-media': priceSchema }),
  acceptedKeys: z.object({ rsaMinBits: z.number().int().positive(), ecCurves: z.array(z.string()) }),
  /** Certificates must carry the holder's personal number (PNO…) to be renewed online. */
  requirePersonalNumber: z.boolean(),
  legalEntity: z.object({
    /** `renewal`: as natural persons; `original-issuance`: the procedure for a new certificate. */
    procedure: z.enum(['renewal', 'original-issuance']),
    ownerOnly: z.boolean(),
    allowedAfterExpiry: z.boolean(),
    /** Step ids the app shows (words live in the app's catalogue), in order. */
    steps: z.array(z.string()),
  }),
  /** Seconds a challenge nonce stays valid. */
  challengeTtlSeconds: z.number().int().positive(),
  /**
   * CMP key update (`POST /.well-known/cmp`): `paid-order` (the default) answers a kur with the pickup
   * of the certificate's paid renewal order; `open` issues to any eligible certificate (a deployment that bills otherwise).
   */
  cmpKeyUpdate: z.enum(['paid-order', 'open']).optional(),
});
export type Policy = z.infer<typeof policySchema>;
