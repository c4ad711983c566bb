/** Slots and the tokens in them, as the contract's TokenInfo. */
import { endianness } from 'node:os';
import graphene from 'graphene-pk11';
import type { Slot, Token } from 'graphene-pk11';
import type { PinState, TokenFacts, TokenInfo } from '../../src-shared/contract/schemas/token.js';
import { toTokenError } from './pkcs11-errors.js';

const { TokenFlag } = graphene;

/** CK_SLOT_ID (a native CK_ULONG in a Buffer) as the decimal string `pkcs11-tool -L` prints. */
export function slotIdOf(handle: Buffer): string {
  const le = endianness() === 'LE';
  if (handle.length === 8) return (le ? handle.readBigUInt64LE(0) : handle.readBigUInt64BE(0)).toString(10);
  if (handle.length === 4) return (le ? handle.readUInt32LE(0) : handle.readUInt32BE(0)).toString(10);
  throw new RangeError(`unexpected CK_SLOT_ID size ${handle.length}`);
}

/** A CK_ULONG length that may be CK_UNAVAILABLE_INFORMATION (~0); 0 stands for unknown. */
function length(value: number): number {
  return Number.isSafeInteger(value) && value >= 0 && value < 0xffffffff ? value : 0;
}

const has = (flags: number, flag: number): boolean => (flags & flag) !== 0;

/** PIN flags and lengths from CK_TOKEN_INFO (PKCS#11 v2.40 §3.2, Table 8). */
export function pinStateOf(token: Pick<Token, 'flags' | 'minPinLen' | 'maxPinLen'>): PinState {
  const f = token.flags;
  return {
    countLow: has(f, TokenFlag.USER_PIN_COUNT_LOW),
    finalTry: has(f, TokenFlag.USER_PIN_FINAL_TRY),
    locked: has(f, TokenFlag.USER_PIN_LOCKED),
    toBeChanged: has(f, TokenFlag.USER_PIN_TO_BE_CHANGED),
    soLocked: has(f, TokenFlag.SO_PIN_LOCKED),
    protectedAuthenticationPath: has(f, TokenFlag.PROTECTED_AUTHENTICATION_PATH),
    minLength: length(token.minPinLen),
    maxLength: length(token.maxPinLen),
  };
}

/**
 * A CK_ULONG memory size; null for CK_UNAVAILABLE_INFORMATION (~0). pkcs11js hands these over as a BigInt
 * (SoftHSM2 on x86-64: 18446744073709551615n) although graphene types them as number.
 */
function memory(value: number | bigint): number | null {
  const n = typeof value === 'bigint' ? (value < 0xffffffffn ? Number(value) : -1) : value;
  return Number.isSafeInteger(n) && n >= 0 && n < 0xffffffff ? n : null;
}

const flagNames: Array<[string, number]> = Object.entries(TokenFlag)
  .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
  .sort((a, b) => a[1] - b[1]);

/** Versions, memory and raw flags from CK_TOKEN_INFO (PKCS#11 v2.40 §3.2, Table 8). */
export function tokenFactsOf(token: Pick<Token, 'flags' | 'hardwareVersion' | 'firmwareVersion' | 'freePublicMemory' | 'totalPublicMemory' | 'freePrivateMemory' | 'totalPrivateMemory'>): TokenFacts {
  const version = (v: { major: number; minor: number }): string => `${v.major}.${v.minor}`;
  // CK_FLAGS is unsigned; graphene hands it over as a JS number that may have gone through a signed AND.
  const flags = token.flags >>> 0;
  return {
    hardwareVersion: version(token.hardwareVersion),
    firmwareVersion: version(token.firmwareVersion),
    freePublicMemory: memory(token.freePublicMemory),
    totalPublicMemory: memory(token.totalPublicMemory),
    freePrivateMemory: memory(token.freePrivateMemory),
    totalPrivateMemory: memory(token.totalPrivateMemory),
    flags,
    flagNames: flagNames.filter(([, bit]) => has(flags, bit)).map(([name]) => `CKF_${name}`),
  };
}

/** A slot with an initialized token, read once. */
export interface PresentToken {
  slot: Slot;
  token: Token;
  info: TokenInfo;
  /** Versions, memory, raw flags: read with the same C_GetTokenInfo, kept out of TokenInfo (diagnostics asks for them). */
  facts: TokenFacts;
}

/**
 * C_GetTokenInfo for a slot; null when the token is not initialized (e.g. SoftHSM2's spare slot),
 * which the app treats as no token: it holds nothing to renew.
 */
export function readToken(slot: Slot): PresentToken | null {
  let token: Token;
  try {
    token = slot.getToken();
  } catch (error) {
    throw toTokenError(error, 'C_GetTokenInfo');
  }
  if (!has(token.flags, TokenFlag.TOKEN_INITIALIZED)) return null;
  return {
    slot,
    token,
    info: {
      slotId: slotIdOf(slot.handle),
      slotDescription: slot.slotDescription,
      label: token.label,
      manufacturer: token.manufacturerID,
      model: token.model,
      serialNumber: token.serialNumber,
      pin: pinStateOf(token),
    },
    facts: tokenFactsOf(token),
  };
}
