/**
 * Submit and Track: what the holder confirms, the typed order document the renderer builds, and the
 * order as the app keeps it. The main process signs only a document that parses here (never raw bytes).
 */
import { z } from 'zod';
import { errorCodeSchema } from '../errors.js';
import { invoiceSchema, orderDocumentSchema, orderStatusSchema, timelineEntrySchema } from '../protocol/order.js';
import { marketSchema, priceSchema, renewalPathSchema } from '../protocol/policy.js';
import { renewalPinSchema } from './pin.js';
import { certificateRefSchema } from './renewal.js';

/** `renewal.prepareOrder`: a fresh service nonce and the facts the order document must carry. */
export const orderPreparationSchema = z.object({
  nonce: z.string(),
  expiresAt: z.iso.datetime(),
  market: marketSchema,
  certificateSerial: z.string(),
  currency: z.enum(['EUR', 'RSD']),
  price: priceSchema.nullable(),
  path: renewalPathSchema.nullable(),
  /** The certificate data the holder confirms before signing. */
  holder: z.object({
    commonName: z.string().nullable(),
    givenName: z.string().nullable(),
    surname: z.string().nullable(),
    serialNumber: z.string().nullable(),
    organization: z.string().nullable(),
    email: z.string().nullable(),
    country: z.string().nullable(),
  }),
});
export type OrderPreparation = z.infer<typeof orderPreparationSchema>;

/** `renewal.placeOrder`: the certificate, the typed document, and the PIN for this one signature. */
export const placeOrderInputSchema = z
  .object({
    certificate: certificateRefSchema,
    document: orderDocumentSchema,
    /** Goes to C_Login only; never logged or stored. `{ pinPad: true }`: typed on the reader's PIN pad; `{ sitting: true }`: already unlocked. */
    pin: renewalPinSchema,
  })
  .strict();
export type PlaceOrderInput = z.infer<typeof placeOrderInputSchema>;

export const orderCertificateSchema = z.object({
  slotId: z.string(),
  objectId: z.string(),
  fingerprintSha256: z.string(),
  serialNumber: z.string(),
  tokenSerial: z.string().nullable(),
  commonName: z.string().nullable(),
});

/** An order as the app keeps it in the user's app data (without its access token). */
export const storedOrderSchema = z.object({
  orderId: z.string(),
  serviceUrl: z.string(),
  market: marketSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  status: orderStatusSchema,
  path: renewalPathSchema,
  certificate: orderCertificateSchema,
  invoice: invoiceSchema,
  timeline: z.array(timelineEntrySchema),
  /** The new certificate's serial once issued. */
  newCertificateSerial: z.string().nullable(),
  /** Where the access token is kept: the OS keychain or a 0600 file. */
  tokenStorage: z.enum(['keychain', 'file']),
});
export type StoredOrder = z.infer<typeof storedOrderSchema>;

/**
 * An order signed on the card and not yet answered by the service (the app's outbox): shown in My orders as
 * "being sent", re-sent unchanged until the service answers — never signed again.
 */
export const outgoingOrderSchema = z.object({
  /** SHA-256 (hex) of the signed bytes: names the entry, and says which signature it is. */
  id: z.string(),
  signedAt: z.iso.datetime(),
  serviceUrl: z.string(),
  market: marketSchema,
  certificate: orderCertificateSchema,
  attempts: z.number().int().nonnegative(),
  lastTriedAt: z.iso.datetime().nullable(),
  /** Why the last attempt got no answer (SERVICE_UNREACHABLE, CANCELLED, …), null before the first. */
  lastError: errorCodeSchema.nullable(),
});
export type OutgoingOrder = z.infer<typeof outgoingOrderSchema>;

export const orderListSchema = z.object({ orders: z.array(storedOrderSchema), sending: z.array(outgoingOrderSchema) });
export type OrderList = z.infer<typeof orderListSchema>;

export const orderIdInputSchema = z.object({ orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();

/** `orders.resend`: send an outbox entry again (its signed bytes unchanged). */
export const outgoingIdInputSchema = z.object({ id: z.string().regex(/^[a-f0-9]{64}$/) }).strict();

/** The pro-forma invoice PDF, as base64 with a file name. */
export const invoiceFileSchema = z.object({ fileName: z.string(), mimeType: z.literal('application/pdf'), base64: z.string(), size: z.number().int().positive() });
export type InvoiceFile = z.infer<typeof invoiceFileSchema>;

/** `renewal.completeNewCard`: where the new card is, and whether an inserted card holds the new certificate. */
export const newCardViewSchema = z.object({
  orderId: z.string(),
  status: orderStatusSchema,
  /** The new certificate's serial once the CA made the card. */
  serial: z.string().nullable(),
  /** True when a present card holds the new certificate; `installed` is confirmed once the CA recorded the delivery (`issued`). */
  found: z.boolean(),
  slotId: z.string().nullable(),
});
export type NewCardView = z.infer<typeof newCardViewSchema>;
