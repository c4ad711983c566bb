import graphene from 'graphene-pk11';
import { describe, expect, it } from 'vitest';
import { codeForCkr } from '../../../src-main/token/pkcs11-errors.js';
import { pinStateOf } from '../../../src-main/token/slot.js';

const { TokenFlag } = graphene;

describe('PIN state from CK_TOKEN_INFO (modules that count tries, e.g. OpenSC cards, report these flags)', () => {
  it('maps every PIN flag, and ~0 lengths as unknown', () => {
    const flags = TokenFlag.USER_PIN_COUNT_LOW | TokenFlag.USER_PIN_FINAL_TRY | TokenFlag.SO_PIN_LOCKED | TokenFlag.PROTECTED_AUTHENTICATION_PATH | TokenFlag.USER_PIN_TO_BE_CHANGED;
    expect(pinStateOf({ flags, minPinLen: 6, maxPinLen: 0xffffffff })).toEqual({
      countLow: true,
      finalTry: true,
      locked: false,
      toBeChanged: true,
      soLocked: true,
      protectedAuthenticationPath: true,
      minLength: 6,
      maxLength: 0,
    });
    expect(pinStateOf({ flags: TokenFlag.USER_PIN_LOCKED, minPinLen: 4, maxPinLen: 8 })).toMatchObject({ locked: true, finalTry: false });
  });

  it('maps the CKR values of PIN, key and session trouble to stable codes', () => {
    expect(codeForCkr('CKR_PIN_INVALID')).toBe('TOKEN_PIN_INVALID');
    expect(codeForCkr('CKR_PIN_LOCKED')).toBe('TOKEN_PIN_LOCKED');
    expect(codeForCkr('CKR_KEY_SIZE_RANGE')).toBe('TOKEN_MECHANISM_UNSUPPORTED');
    expect(codeForCkr('CKR_SESSION_READ_ONLY')).toBe('TOKEN_WRITE_PROTECTED');
    expect(codeForCkr('CKR_USER_ANOTHER_ALREADY_LOGGED_IN')).toBe('TOKEN_BUSY');
    expect(codeForCkr('CKR_DEVICE_ERROR')).toBe('TOKEN_PKCS11_ERROR');
  });
});
