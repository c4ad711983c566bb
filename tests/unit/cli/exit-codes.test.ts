import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src-main/cli/exit-codes.js';
import { expiryText, groupHex } from '../../../src-main/cli/format.js';

describe('CLI exit codes', () => {
  it.each([
    ['INPUT_INVALID', 1],
    ['TOKEN_MODULE_NOT_CONFIGURED', 2],
    ['TOKEN_MODULE_NOT_FOUND', 2],
    ['TOKEN_MODULE_INVALID', 2],
    ['TOKEN_NOT_PRESENT', 2],
    ['TOKEN_SLOT_NOT_FOUND', 2],
    ['TOKEN_PKCS11_ERROR', 3],
    ['TOKEN_REMOVED', 3],
    ['INTERNAL', 3],
  ] as const)('%s exits %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });
});

describe('CLI text helpers', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('says how many days are left or have passed', () => {
    expect(expiryText('2026-06-11T12:00:00Z', now)).toBe('expires in 10 days');
    expect(expiryText('2026-06-02T13:00:00Z', now)).toBe('expires in 1 day');
    expect(expiryText('2026-05-31T11:00:00Z', now)).toBe('expired 2 days ago');
  });
  it('groups a fingerprint as openssl prints it', () => {
    expect(groupHex('b11f10')).toBe('B1:1F:10');
  });
});
