/**
 * Public keys as PKCS#11 stores them (CKA_MODULUS + CKA_PUBLIC_EXPONENT, CKA_EC_PARAMS + CKA_EC_POINT)
 * turned into a DER SubjectPublicKeyInfo, and the CKA_ID convention derived from them.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';

const oidRsaEncryption = '1.2.840.113549.1.1.1';
const oidEcPublicKey = '1.2.840.10045.2.1';

/** A public key in PKCS#11 terms. */
export type TokenPublicKey =
  | { type: 'rsa'; modulus: Uint8Array; exponent: Uint8Array }
  | { type: 'ec'; params: Uint8Array; point: Uint8Array };

/** Unsigned big-endian bytes without leading zeros (some modules pad CKA_MODULUS). */
export function unsignedBytes(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/**
 * The raw EC point from CKA_EC_POINT: PKCS#11 v2.40 §2.3.3 wants DER OCTET STRING, some modules store
 * the raw uncompressed point (0x04 || X || Y). A raw P-256 point is 65 bytes and starts 0x04 0x41…; the
 * DER form starts 0x04 <length> and its length covers exactly the rest.
 */
export function rawEcPoint(stored: Uint8Array): Uint8Array {
  if (stored[0] !== 0x04 || stored.length < 2) return stored;
  let length = stored[1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || stored.length < 2 + count) return stored;
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | stored[2 + i]!;
    header = 2 + count;
  }
  // When both readings fit (a raw point whose second byte happens to equal the rest's length), the DER one wins: it is the spec's form.
  const wrapped = header + length === stored.length && stored[header] === 0x04;
  return wrapped ? stored.subarray(header) : stored;
}

/** DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; RSA RFC 3279 §2.3.1, EC RFC 5480 §2). */
export function spkiOf(key: TokenPublicKey): Uint8Array {
  if (key.type === 'rsa') {
    const rsa = new RSAPublicKey({ modulus: positive(key.modulus), publicExponent: positive(key.exponent) });
    const spki = new SubjectPublicKeyInfo({
      algorithm: new AlgorithmIdentifier({ algorithm: oidRsaEncryption, parameters: new Uint8Array([0x05, 0x00]).buffer }),
      subjectPublicKey: AsnConvert.serialize(rsa),
    });
    return new Uint8Array(AsnConvert.serialize(spki));
  }
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: oidEcPublicKey, parameters: copy(key.params) }),
    subjectPublicKey: copy(rawEcPoint(key.point)),
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}

/** INTEGER content octets for a non-negative value: minimal, 0x00 prefixed when the high bit is set. */
function positive(bytes: Uint8Array): ArrayBuffer {
  const minimal = unsignedBytes(bytes);
  if ((minimal[0] ?? 0) & 0x80) {
    const out = new Uint8Array(minimal.length + 1);
    out.set(minimal, 1);
    return out.buffer;
  }
  return copy(minimal);
}

/** An ArrayBuffer of exactly these bytes (Node Buffers are often views into a shared pool). */
function copy(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}

/**
 * CKA_ID for a new key pair: SHA-1 of the RSA modulus or of the raw EC point — what OpenSC's pkcs15-init,
 * Firefox/NSS and most card middleware use, so other tools pair key, public key and certificate alike.
 */
export function keyIdOf(key: TokenPublicKey): Uint8Array {
  const material = key.type === 'rsa' ? unsignedBytes(key.modulus) : rawEcPoint(key.point);
  return new Uint8Array(createHash('sha1').update(material).digest());
}

/** The same key? RSA by modulus and exponent, EC by parameters and point. */
export function sameKey(a: TokenPublicKey, b: TokenPublicKey): boolean {
  if (a.type === 'rsa' && b.type === 'rsa') {
    return Buffer.from(unsignedBytes(a.modulus)).equals(unsignedBytes(b.modulus)) && Buffer.from(unsignedBytes(a.exponent)).equals(unsignedBytes(b.exponent));
  }
  if (a.type === 'ec' && b.type === 'ec') {
    return Buffer.from(a.params).equals(b.params) && Buffer.from(rawEcPoint(a.point)).equals(rawEcPoint(b.point));
  }
  return false;
}

/** The PKCS#11 form of a certificate's SubjectPublicKeyInfo; null for other key types. */
export function tokenKeyOfSpki(spkiDer: Uint8Array): TokenPublicKey | null {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  if (spki.algorithm.algorithm === oidRsaEncryption) {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    return { type: 'rsa', modulus: new Uint8Array(rsa.modulus), exponent: new Uint8Array(rsa.publicExponent) };
  }
  if (spki.algorithm.algorithm === oidEcPublicKey && spki.algorithm.parameters) {
    return { type: 'ec', params: new Uint8Array(spki.algorithm.parameters), point: new Uint8Array(spki.subjectPublicKey) };
  }
  return null;
}
