/**
 * ISO 7816-4 command APDUs as the virtual card receives them: short and extended length (cases 1–4),
 * status words, and the ISO-style "card says no" exception the applet code throws.
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
  /** Expected response length; 0 when the command expects none (case 1 and 3). */
  le: number;
  extended: boolean;
}

/** A status word the card answers with instead of data (ISOException.throwIt in the applet). */
export class CardStatus extends Error {
  constructor(readonly sw: number) {
    super(`SW ${sw.toString(16).padStart(4, '0')}`);
  }
}

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  COMMAND_INCOMPATIBLE: 0x6981,
  COMMAND_NOT_ALLOWED: 0x6986,
  COMMAND_NOT_ALLOWED_GENERAL: 0x6900,
  DATA_INVALID: 0x6984,
  WRONG_DATA: 0x6a80,
  FUNC_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  FILE_FULL: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  OFFSET_OUTSIDE_EF: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  UNKNOWN: 0x6f00,
  PIN_TRIES_REMAINING: 0x63c0,
} as const;

export function fail(sw: number): never {
  throw new CardStatus(sw);
}

/** Parses a command APDU; throws CardStatus(WRONG_LENGTH) for a malformed one. */
export function parseCommand(bytes: Buffer): CommandApdu {
  if (bytes.length < 4) fail(SW.WRONG_LENGTH);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const base = { cla, ins, p1, p2 };
  if (bytes.length === 4) return { ...base, data: Buffer.alloc(0), le: 0, extended: false };
  const b4 = bytes[4]!;
  if (bytes.length === 5) return { ...base, data: Buffer.alloc(0), le: b4 === 0 ? 256 : b4, extended: false };
  if (b4 !== 0) {
    const data = bytes.subarray(5, 5 + b4);
    if (bytes.length === 5 + b4) return { ...base, data, le: 0, extended: false };
    if (bytes.length === 6 + b4) {
      const le = bytes[5 + b4]!;
      return { ...base, data, le: le === 0 ? 256 : le, extended: false };
    }
    fail(SW.WRONG_LENGTH);
  }
  // Extended length: 00 followed by two bytes.
  if (bytes.length === 7) {
    const le = bytes.readUInt16BE(5);
    return { ...base, data: Buffer.alloc(0), le: le === 0 ? 65536 : le, extended: true };
  }
  const lc = bytes.readUInt16BE(5);
  const data = bytes.subarray(7, 7 + lc);
  if (bytes.length === 7 + lc) return { ...base, data, le: 0, extended: true };
  if (bytes.length === 9 + lc) {
    const le = bytes.readUInt16BE(7 + lc);
    return { ...base, data, le: le === 0 ? 65536 : le, extended: true };
  }
  fail(SW.WRONG_LENGTH);
}

export function withStatus(data: Buffer, sw: number): Buffer {
  const out = Buffer.alloc(data.length + 2);
  data.copy(out);
  out.writeUInt16BE(sw, data.length);
  return out;
}

/** Simple BER-TLV: finds the value of a one-byte tag among the top-level TLVs of `bytes`. */
export function findTag(bytes: Buffer, tag: number): Buffer | null {
  let pos = 0;
  while (pos < bytes.length) {
    const t = bytes[pos]!;
    const { length, size } = readLength(bytes, pos + 1);
    const start = pos + 1 + size;
    if (t === tag) return bytes.subarray(start, start + length);
    pos = start + length;
  }
  return null;
}

export function readLength(bytes: Buffer, pos: number): { length: number; size: number } {
  const first = bytes[pos];
  if (first === undefined) fail(SW.DATA_INVALID);
  if (first < 0x80) return { length: first, size: 1 };
  if (first === 0x81) return { length: bytes[pos + 1] ?? fail(SW.DATA_INVALID), size: 2 };
  if (first === 0x82) return { length: bytes.readUInt16BE(pos + 1), size: 3 };
  fail(SW.DATA_INVALID);
}

export function tlv(tag: number, value: Buffer): Buffer {
  const tagBytes = tag > 0xff ? Buffer.from([tag >> 8, tag & 0xff]) : Buffer.from([tag]);
  const n = value.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([tagBytes, length, value]);
}
