/** What the app knows about a PKCS#11 module, its slots and tokens. */
import { z } from 'zod';

export const moduleInfoSchema = z.object({
  path: z.string(),
  /** Where the path came from: the --module flag, OBNOVA_PKCS11_MODULE, or probing native-config. */
  source: z.enum(['argument', 'environment', 'settings', 'probe']),
  name: z.string().nullable(),
  libraryDescription: z.string(),
  manufacturer: z.string(),
  libraryVersion: z.string(),
  cryptokiVersion: z.string(),
});
export type ModuleInfo = z.infer<typeof moduleInfoSchema>;

export const pinStateSchema = z.object({
  countLow: z.boolean(),
  finalTry: z.boolean(),
  locked: z.boolean(),
  toBeChanged: z.boolean(),
  soLocked: z.boolean(),
  protectedAuthenticationPath: z.boolean(),
  minLength: z.number().int(),
  maxLength: z.number().int(),
});
export type PinState = z.infer<typeof pinStateSchema>;

/** Facts from CK_TOKEN_INFO beyond the PIN state, for diagnostics (null where the token reports CK_UNAVAILABLE_INFORMATION). */
export const tokenFactsSchema = z.object({
  /** "major.minor", as CK_VERSION. */
  hardwareVersion: z.string(),
  firmwareVersion: z.string(),
  freePublicMemory: z.number().int().nullable(),
  totalPublicMemory: z.number().int().nullable(),
  freePrivateMemory: z.number().int().nullable(),
  totalPrivateMemory: z.number().int().nullable(),
  /** The raw CK_FLAGS of the token. */
  flags: z.number().int(),
  /** The CKF_ names of the set flags, in bit order. */
  flagNames: z.array(z.string()),
});
export type TokenFacts = z.infer<typeof tokenFactsSchema>;

export const tokenInfoSchema = z.object({
  /** PKCS#11 slot ID in decimal, the same number `pkcs11-tool -L` prints. */
  slotId: z.string(),
  slotDescription: z.string(),
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serialNumber: z.string(),
  pin: pinStateSchema,
});
export type TokenInfo = z.infer<typeof tokenInfoSchema>;

export const tokenListSchema = z.object({
  module: moduleInfoSchema,
  tokens: z.array(tokenInfoSchema),
});
export type TokenList = z.infer<typeof tokenListSchema>;

/** Which token to look at: all tokens, one slot, or one token label. */
export const tokenSelectorSchema = z
  .object({
    slotId: z.string().regex(/^\d+$/, 'slot ID is a decimal number').optional(),
    tokenLabel: z.string().min(1).max(32).optional(),
  })
  .strict()
  .refine((s) => !(s.slotId && s.tokenLabel), { message: 'choose a slot ID or a token label, not both' });
export type TokenSelector = z.infer<typeof tokenSelectorSchema>;
