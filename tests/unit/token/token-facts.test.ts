import graphene from 'graphene-pk11';
import { describe, expect, it } from 'vitest';
import { tokenFactsOf } from '../../../src-main/token/slot.js';

const { TokenFlag } = graphene;
const unavailable = 0xffffffff; // CK_UNAVAILABLE_INFORMATION as a 32-bit CK_ULONG
const base = {
  hardwareVersion: { major: 2, minor: 6 },
  firmwareVersion: { major: 1, minor: 12 },
  freePublicMemory: 1024,
  totalPublicMemory: 4096,
  freePrivateMemory: unavailable,
  totalPrivateMemory: Number.MAX_SAFE_INTEGER + 2, // ~0 of a 64-bit CK_ULONG, as a JS number
  flags: TokenFlag.RNG | TokenFlag.LOGIN_REQUIRED | TokenFlag.TOKEN_INITIALIZED | TokenFlag.USER_PIN_LOCKED,
};

describe('tokenFactsOf', () => {
  it('gives versions as major.minor, memory as numbers and CK_UNAVAILABLE_INFORMATION as null', () => {
    expect(tokenFactsOf(base)).toMatchObject({ hardwareVersion: '2.6', firmwareVersion: '1.12', freePublicMemory: 1024, totalPublicMemory: 4096, freePrivateMemory: null, totalPrivateMemory: null });
  });

  it('reads memory handed over as a BigInt (pkcs11js does), ~0 of 64 bits as null', () => {
    const facts = tokenFactsOf({ ...base, freePublicMemory: 32768n as unknown as number, totalPublicMemory: 18446744073709551615n as unknown as number });
    expect(facts).toMatchObject({ freePublicMemory: 32768, totalPublicMemory: null });
  });

  it('keeps the raw flags and names the set bits in bit order', () => {
    const facts = tokenFactsOf(base);
    expect(facts.flags).toBe(0x1 | 0x4 | 0x400 | 0x40000);
    expect(facts.flagNames).toEqual(['CKF_RNG', 'CKF_LOGIN_REQUIRED', 'CKF_TOKEN_INITIALIZED', 'CKF_USER_PIN_LOCKED']);
  });
});
