import { describe, expect, it } from 'vitest';
import { slotIdOf } from '../../../src-main/token/slot.js';

describe('slotIdOf', () => {
  it('prints a 64-bit CK_SLOT_ID in decimal, as softhsm2-util does (pkcs11-tool -L shows it in hex)', () => {
    const handle = Buffer.alloc(8);
    handle.writeBigUInt64LE(0x46f4853en);
    expect(slotIdOf(handle)).toBe('1190430014');
    handle.writeBigUInt64LE(0xffffffffffffffffn);
    expect(slotIdOf(handle)).toBe('18446744073709551615');
  });

  it('reads a 32-bit CK_SLOT_ID (Windows CK_ULONG) and rejects other sizes', () => {
    const handle = Buffer.alloc(4);
    handle.writeUInt32LE(7);
    expect(slotIdOf(handle)).toBe('7');
    expect(() => slotIdOf(Buffer.alloc(2))).toThrow(RangeError);
  });
});
