/** ECDSA signatures between raw r||s (WebCrypto, PKCS#11 CKM_ECDSA) and the DER SEQUENCE{r,s} of X.509 and CMS (RFC 3279 §2.2.3). */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECDSASigValue } from '@peculiar/asn1-ecc';
import { toArrayBuffer } from './encoding.js';

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** A non-negative INTEGER's content octets: minimal, with a 0x00 when the high bit is set. */
function positiveInteger(bytes: Uint8Array): ArrayBuffer {
  const minimal = stripLeadingZeros(bytes);
  if ((minimal[0] ?? 0) & 0x80) {
    const out = new Uint8Array(minimal.length + 1);
    out.set(minimal, 1);
    return out.buffer;
  }
  return toArrayBuffer(minimal.slice());
}

/** Raw r||s (what C_Sign with CKM_ECDSA and WebCrypto return) to DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new RangeError('raw ECDSA signature must be r||s of equal halves');
  const half = raw.length / 2;
  const value = new ECDSASigValue({ r: positiveInteger(raw.subarray(0, half)), s: positiveInteger(raw.subarray(half)) });
  return new Uint8Array(AsnConvert.serialize(value));
}

/** DER ECDSA-Sig-Value to raw r||s with each half `fieldBytes` long; null if it does not fit (an invalid signature). */
export function ecdsaDerToRaw(der: Uint8Array, fieldBytes: number): Uint8Array | null {
  let value: ECDSASigValue;
  try {
    value = AsnConvert.parse(der, ECDSASigValue);
  } catch {
    return null;
  }
  const r = stripLeadingZeros(new Uint8Array(value.r));
  const s = stripLeadingZeros(new Uint8Array(value.s));
  if (r.length > fieldBytes || s.length > fieldBytes) return null;
  const out = new Uint8Array(fieldBytes * 2);
  out.set(r, fieldBytes - r.length);
  out.set(s, fieldBytes * 2 - s.length);
  return out;
}
