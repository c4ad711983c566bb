/** Certificate serial numbers: 20 random bytes, positive and minimally encoded (RFC 5280 §4.1.2.2). */
import { randomBytes } from 'node:crypto';

/** Lowercase hex of 20 random bytes with the top bit cleared and a non-zero first byte. */
export function randomSerial(): string {
  const bytes = randomBytes(20);
  // Top bit clear keeps the INTEGER positive; a non-zero first byte keeps DER at exactly 20 bytes.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) || 0x01;
  return bytes.toString('hex');
}
