/**
 * Orders: the signed order document (the eContent of the CMS the holder signs on the card),
 * the pickup document, and the JSON answers.
 */
import { z } from 'zod';
import { base64Schema } from './eligibility.js';
import { marketSchema, priceSchema, renewalPathSchema } from './policy.js';

export const orderStatusSchema = z.enum([
  'awaiting-payment',
  'paid',
  'ready-for-pickup',
  'card-in-production',
  'card-shipped',
  'issued',
  'completed',
  'cancelled',
  'expired',
  'rejected',
]);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const billingSchema = z.object({
  name: z.string().trim().min(1).max(70),
  street: z.string().trim().min(1).max(70),
  postalCode: z.string().trim().min(1).max(12),
  city: z.string().trim().min(1).max(35),
  country: z.string().regex(/^[A-Z]{2}$/),
  /** VAT id of a company buyer, if any. */
  vatId: z.string().trim().max(20).nullable().default(null),
});
export type Billing = z.infer<typeof billingSchema>;

/** The JSON the holder signs (UTF-8), eContent of the CMS posted to `/v1/orders`. */
export const orderDocumentSchema = z
  .object({
    type: z.literal('obnova.renewal-order'),
    version: z.literal(1),
    market: marketSchema,
    nonce: z.string().min(1).max(64),
    /** Serial (lowercase hex) of the certificate being renewed: the one that signs. */
    certificateSerial: z.string().regex(/^[0-9a-f]{1,64}$/),
    billing: billingSchema,
    email: z.string().email().max(254),
    locale: z.enum(['sl', 'sr-Latn', 'sr-Cyrl', 'en']).default('en'),
  })
  .strict();
export type OrderDocument = z.infer<typeof orderDocumentSchema>;
export type OrderDocumentInput = z.input<typeof orderDocumentSchema>;

/** The JSON signed for `/v1/orders/{id}/certificate`: binds the new key's PKCS#10 to the order. */
export const pickupDocumentSchema = z
  .object({
    type: z.literal('obnova.renewal-pickup'),
    version: z.literal(1),
    orderId: z.string().min(1).max(40),
    /** PKCS#10 made by the new on-card key, DER in base64. */
    csr: base64Schema.max(20_000),
  })
  .strict();
export type PickupDocument = z.infer<typeof pickupDocumentSchema>;

export const invoiceSchema = z.object({
  number: z.string(),
  currency: z.enum(['EUR', 'RSD']),
  vatBasisPoints: z.number().int(),
  amount: priceSchema,
  /** Payment reference: `SI12 …` or model 97 `97 …`. */
  reference: z.string(),
  issuedAt: z.string().datetime(),
  dueAt: z.string().datetime(),
  /** The text encoded in the payment QR code (UPN QR or NBS IPS QR). */
  qrPayload: z.string(),
  /** Relative URL of the PDF (needs the access token). */
  pdf: z.string(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const orderCreatedSchema = z.object({
  orderId: z.string(),
  /** Bearer token for status, invoice and `installed`; shown once. */
  accessToken: z.string(),
  status: orderStatusSchema,
  path: renewalPathSchema,
  invoice: invoiceSchema,
});
export type OrderCreated = z.infer<typeof orderCreatedSchema>;

export const timelineEntrySchema = z.object({ status: orderStatusSchema, at: z.string().datetime() });

export const orderViewSchema = z.object({
  orderId: z.string(),
  status: orderStatusSchema,
  path: renewalPathSchema,
  createdAt: z.string().datetime(),
  timeline: z.array(timelineEntrySchema),
  invoice: invoiceSchema,
  /** The new certificate's serial once issued. */
  certificateSerial: z.string().nullable(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const pickupResponseSchema = z.object({
  orderId: z.string(),
  status: orderStatusSchema,
  /** The new certificate, DER base64. */
  certificate: base64Schema,
  /** Issuing CA then root, DER base64. */
  chain: z.array(base64Schema),
  serial: z.string(),
});
export type PickupResponse = z.infer<typeof pickupResponseSchema>;

export const installedRequestSchema = z.object({ serial: z.string().regex(/^[0-9a-f]{1,64}$/) }).strict();
export type InstalledRequest = z.infer<typeof installedRequestSchema>;
