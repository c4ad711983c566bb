/** Receive: collecting the new certificate onto the card, step by step, resumable. */
import { z } from 'zod';
import { errorCodeSchema } from '../errors.js';
import { renewalPinSchema } from './pin.js';

export const receiveStepSchema = z.enum(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);
export type ReceiveStepName = z.infer<typeof receiveStepSchema>;

export const receiveInputSchema = z
  .object({
    orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** Goes to C_Login only; never logged or stored. `{ pinPad: true }`: typed on the reader's PIN pad; `{ sitting: true }`: already unlocked. */
    pin: renewalPinSchema,
  })
  .strict();
export type ReceiveInput = z.infer<typeof receiveInputSchema>;

/** Pushed as each step starts and ends (event renewal.progress); a step done in an earlier run is pushed as done again, at its time. */
export const receiveProgressSchema = z.object({
  orderId: z.string(),
  step: receiveStepSchema,
  state: z.enum(['started', 'done']),
  at: z.iso.datetime(),
});
export type ReceiveProgress = z.infer<typeof receiveProgressSchema>;

export const receiveResultSchema = z.object({
  orderId: z.string(),
  status: z.literal('completed'),
  /** Serial of the new certificate, lowercase hex. */
  serial: z.string(),
  /** CKA_ID (hex) shared by the new key pair and the new certificate. */
  keyId: z.string(),
  slotId: z.string(),
  /** How many times this receive was resumed after stopping half way. */
  resumes: z.number().int().nonnegative(),
  /** The step it had reached when last resumed, or null. */
  resumedFrom: receiveStepSchema.nullable(),
});
export type ReceiveResult = z.infer<typeof receiveResultSchema>;

/** Pushed while a service call waits to try again (event renewal.waiting): what for, why, and until when. */
export const serviceWaitSchema = z.object({
  operation: z.string(),
  reason: errorCodeSchema,
  /** HTTP status of the failed attempt, null for a network failure. */
  status: z.number().int().nullable(),
  delayMs: z.number().int().nonnegative(),
  nextAttempt: z.number().int().positive(),
  maxAttempts: z.number().int().positive(),
  retryAt: z.iso.datetime(),
});
export type ServiceWaitView = z.infer<typeof serviceWaitSchema>;

/** `renewal.cancel`: how many service calls in progress were cancelled. */
export const cancelResultSchema = z.object({ cancelled: z.number().int().nonnegative() });
