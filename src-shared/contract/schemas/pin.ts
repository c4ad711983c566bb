/**
 * PIN change and unblock with the PUK. The PIN and PUK go from here to C_Login / C_SetPIN / C_InitPIN and
 * nowhere else: never logged, stored, or echoed in errors (zod issues name the field, not the value).
 */
import { z } from 'zod';
import { pinStateSchema } from './token.js';

const slotIdSchema = z.string().regex(/^\d+$/, 'slot ID is a decimal number');
/** A PIN or PUK as typed; the token's own length rules are checked in the token layer. */
const secretSchema = z.string().min(1).max(64);

export const pinTargetSchema = z.object({ slotId: slotIdSchema }).strict();
export type PinTarget = z.infer<typeof pinTargetSchema>;

/**
 * "Type them on the reader": for a reader with a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH) the app sends
 * no secret at all; the reader asks for them and the call returns when the holder is done or cancelled.
 */
const pinPadSchema = z.object({ pinPad: z.literal(true) }).strict();
const onPinPadSchema = pinPadSchema.extend({ slotId: slotIdSchema }).strict();

/** The PIN for one login (renewal order, receive): typed, or `{ pinPad: true }` to type it on the reader. */
export const pinCredentialSchema = z.union([secretSchema, pinPadSchema]);
export type PinCredential = z.infer<typeof pinCredentialSchema>;

/**
 * A renewal step's PIN: as pinCredentialSchema, or `{ sitting: true }` — no PIN, the card is still unlocked
 * from an earlier step of this sitting (pin.state's `loggedIn`); TOKEN_NOT_LOGGED_IN when it no longer is.
 * A typed PIN always logs in afresh, so what the holder typed is what unlocks the card.
 */
export const renewalPinSchema = z.union([secretSchema, pinPadSchema, z.object({ sitting: z.literal(true) }).strict()]);
export type RenewalPin = z.infer<typeof renewalPinSchema>;

export const pinChangeInputSchema = z.union([z.object({ slotId: slotIdSchema, oldPin: secretSchema, newPin: secretSchema }).strict(), onPinPadSchema]);
export type PinChangeInput = z.infer<typeof pinChangeInputSchema>;

export const pinUnblockInputSchema = z.union([z.object({ slotId: slotIdSchema, puk: secretSchema, newPin: secretSchema }).strict(), onPinPadSchema]);
export type PinUnblockInput = z.infer<typeof pinUnblockInputSchema>;

/** What the PIN screens show before anything is typed: tries left, length rules, PIN pad, how unblocking works. */
export const pinInfoSchema = z.object({
  slotId: z.string(),
  label: z.string(),
  pin: pinStateSchema,
  /** This app's sitting with the card is logged in: the next renewal step needs no PIN (`{ sitting: true }`). */
  loggedIn: z.boolean(),
  /** so-login-init-pin / set-pin-unauthenticated: Obnova can unblock; vendor-tool / unsupported: only the middleware's own tool can. */
  unblock: z.enum(['so-login-init-pin', 'set-pin-unauthenticated', 'vendor-tool', 'unsupported']),
  /**
   * false: this middleware does not report the PIN counter until a PIN was tried (OpenSC 0.23), so "not locked"
   * and the tries left are unknown — say so rather than guess. Absent: the flags in `pin` can be trusted.
   */
  pinStateReported: z.boolean().optional(),
});
export type PinInfo = z.infer<typeof pinInfoSchema>;
