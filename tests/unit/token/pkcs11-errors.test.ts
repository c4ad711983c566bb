import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { ckrName, toModuleInitError, toModuleLoadError, toTokenError } from '../../../src-main/token/pkcs11-errors.js';

/** A Pkcs11Error exactly as pkcs11js builds it from a native failure. */
function pkcs11Error(name: string): Error {
  const value = (pkcs11js as unknown as Record<string, number>)[name];
  return new pkcs11js.Pkcs11Error(`${name}:${value}\n    at PKCS11.C_Login (native)`);
}

describe('toTokenError', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 'TOKEN_PIN_INCORRECT'],
    ['CKR_PIN_LOCKED', 'TOKEN_PIN_LOCKED'],
    ['CKR_DEVICE_REMOVED', 'TOKEN_REMOVED'],
    ['CKR_TOKEN_NOT_PRESENT', 'TOKEN_REMOVED'],
    ['CKR_SESSION_HANDLE_INVALID', 'TOKEN_REMOVED'],
    ['CKR_DEVICE_MEMORY', 'TOKEN_MEMORY_FULL'],
    ['CKR_MECHANISM_INVALID', 'TOKEN_MECHANISM_UNSUPPORTED'],
    ['CKR_TOKEN_WRITE_PROTECTED', 'TOKEN_WRITE_PROTECTED'],
    ['CKR_PIN_LEN_RANGE', 'TOKEN_PIN_LEN_RANGE'],
    ['CKR_FUNCTION_FAILED', 'TOKEN_PKCS11_ERROR'],
    ['CKR_GENERAL_ERROR', 'TOKEN_PKCS11_ERROR'],
  ])('maps %s to %s with the CKR name in details', (ckr, code) => {
    const e = toTokenError(pkcs11Error(ckr), 'C_Login');
    expect(e).toBeInstanceOf(ObnovaError);
    expect(e.code).toBe(code);
    expect(e.details).toEqual({ operation: 'C_Login', ckr });
    expect(e.message).toBe(`C_Login returned ${ckr}`);
    expect(e.message).not.toContain('at PKCS11');
  });

  it('names vendor-defined values in hex and passes ObnovaErrors through', () => {
    const vendor = new pkcs11js.Pkcs11Error('CKR_VENDOR:2147483649');
    expect(toTokenError(vendor, 'C_Sign').details).toEqual({ operation: 'C_Sign', ckr: 'CKR_0x80000001' });
    const own = new ObnovaError('TOKEN_NOT_PRESENT', 'x');
    expect(toTokenError(own, 'C_X')).toBe(own);
  });

  it('hides the text of errors without a return value', () => {
    const e = toTokenError(new TypeError('secret internals /home/user'), 'C_FindObjects');
    expect(e.code).toBe('TOKEN_PKCS11_ERROR');
    expect(e.message).not.toContain('secret');
  });

  it('knows the CKR names from pkcs11js', () => {
    expect(ckrName(0xa0)).toBe('CKR_PIN_INCORRECT');
    expect(ckrName(0xe0)).toBe('CKR_TOKEN_NOT_PRESENT');
  });
});

describe('module load errors', () => {
  it('distinguishes a missing file from a file that is not a PKCS#11 library', () => {
    expect(toModuleLoadError(new Error('x: cannot open shared object file'), '/x', false).code).toBe('TOKEN_MODULE_NOT_FOUND');
    const noSymbol = toModuleLoadError(new Error('/lib/libc.so.6: undefined symbol: C_GetFunctionList'), '/lib/libc.so.6', true);
    expect(noSymbol.code).toBe('TOKEN_MODULE_INVALID');
    expect(noSymbol.details).toEqual({ path: '/lib/libc.so.6', reason: 'it has no C_GetFunctionList' });
    expect(toModuleLoadError(new Error('/etc/hostname: file too short'), '/etc/hostname', true).details?.reason).toBe('it is not a shared library for this platform');
  });

  it('names the C_Initialize failure', () => {
    const e = toModuleInitError(pkcs11Error('CKR_GENERAL_ERROR'), '/m.so');
    expect(e.code).toBe('TOKEN_MODULE_INIT_FAILED');
    expect(e.details).toEqual({ path: '/m.so', ckr: 'CKR_GENERAL_ERROR' });
  });
});
