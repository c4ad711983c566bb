/**
 * Whether a certificate's private key is on the token, decided without a PIN: a visible private key
 * object with the certificate's CKA_ID, or else a public key object with that CKA_ID holding the
 * certificate's public key (cards hide private key objects until C_Login).
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { Session } from 'graphene-pk11';
import pkcs11js from 'pkcs11js';
import type { CertificateSummary } from '../../src-shared/contract/schemas/certificate.js';
import { bytesEqual } from '../../src-shared/pki/encoding.js';
import { findObjects, readAttributes } from './session.js';

const oidRsaEncryption = '1.2.840.113549.1.1.1';
const oidEcPublicKey = '1.2.840.10045.2.1';

/** The public key of a certificate in the form PKCS#11 stores it. */
type CertificateKey =
  | { type: 'rsa'; modulus: Uint8Array; exponent: Uint8Array }
  | { type: 'ec'; point: Uint8Array }
  | { type: 'other' };

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** RSA modulus/exponent or EC point from a DER SubjectPublicKeyInfo. */
export function certificateKeyOf(spkiDer: Uint8Array): CertificateKey {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  if (spki.algorithm.algorithm === oidRsaEncryption) {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    return { type: 'rsa', modulus: stripLeadingZeros(new Uint8Array(rsa.modulus)), exponent: stripLeadingZeros(new Uint8Array(rsa.publicExponent)) };
  }
  if (spki.algorithm.algorithm === oidEcPublicKey) return { type: 'ec', point: new Uint8Array(spki.subjectPublicKey) };
  return { type: 'other' };
}

/** CKA_EC_POINT is a DER OCTET STRING (PKCS#11 v2.40 §2.3.3); some modules return the raw point. */
export function ecPointMatches(stored: Uint8Array, point: Uint8Array): boolean {
  if (bytesEqual(stored, point)) return true;
  if (stored[0] !== 0x04 || stored.length < 2) return false;
  let length = stored[1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || stored.length < 2 + count) return false;
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | stored[2 + i]!;
    header = 2 + count;
  }
  return header + length === stored.length && bytesEqual(stored.subarray(header), point);
}

/** The public key objects of one key type visible in a session, by hex CKA_ID (one search, one read each). */
export type PublicKeysById = Map<string, CertificateKey[]>;

/**
 * Reads the public key objects of the key types `spkis` need, one search per type (not one per
 * certificate: on a card every call is APDUs). RSA keys are read as modulus + exponent, EC keys as point.
 */
export function visiblePublicKeys(session: Session, spkis: readonly Uint8Array[]): PublicKeysById {
  const types = new Set<'rsa' | 'ec'>();
  for (const spki of spkis) {
    try {
      const key = certificateKeyOf(spki);
      if (key.type !== 'other') types.add(key.type);
    } catch {
      // an unreadable key has no evidence to look for
    }
  }
  const byId: PublicKeysById = new Map();
  const add = (id: Buffer | null | undefined, key: CertificateKey) => {
    if (!id) return;
    const hex = id.toString('hex');
    byId.set(hex, [...(byId.get(hex) ?? []), key]);
  };
  for (const type of types) {
    const keyType = type === 'rsa' ? pkcs11js.CKK_RSA : pkcs11js.CKK_EC;
    const handles = findObjects(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: keyType },
    ]);
    for (const handle of handles) {
      if (type === 'rsa') {
        const attrs = readAttributes(session, handle, [pkcs11js.CKA_ID, pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]);
        const modulus = attrs.get(pkcs11js.CKA_MODULUS);
        const exponent = attrs.get(pkcs11js.CKA_PUBLIC_EXPONENT);
        if (modulus && exponent) add(attrs.get(pkcs11js.CKA_ID), { type: 'rsa', modulus: stripLeadingZeros(modulus), exponent: stripLeadingZeros(exponent) });
      } else {
        const attrs = readAttributes(session, handle, [pkcs11js.CKA_ID, pkcs11js.CKA_EC_POINT]);
        const point = attrs.get(pkcs11js.CKA_EC_POINT);
        if (point) add(attrs.get(pkcs11js.CKA_ID), { type: 'ec', point });
      }
    }
  }
  return byId;
}

/**
 * Decides privateKeyEvidence for one certificate (`privateKeyIds`: hex CKA_IDs of visible private keys;
 * `publicKeys`: what visiblePublicKeys() read).
 */
export function privateKeyEvidence(
  objectId: Buffer,
  spkiDer: Uint8Array,
  privateKeyIds: ReadonlySet<string>,
  publicKeys: PublicKeysById,
): CertificateSummary['privateKeyEvidence'] {
  if (privateKeyIds.has(objectId.toString('hex'))) return 'private-key-object';
  let key: CertificateKey;
  try {
    key = certificateKeyOf(spkiDer);
  } catch {
    return 'none';
  }
  if (key.type === 'other') return 'none';
  for (const stored of publicKeys.get(objectId.toString('hex')) ?? []) {
    if (key.type === 'rsa' && stored.type === 'rsa' && bytesEqual(stored.modulus, key.modulus) && bytesEqual(stored.exponent, key.exponent)) return 'public-key-object';
    // stored.point is CKA_EC_POINT as the module returns it (DER-wrapped or raw).
    if (key.type === 'ec' && stored.type === 'ec' && ecPointMatches(stored.point, key.point)) return 'public-key-object';
  }
  return 'none';
}

/** Hex CKA_IDs of the private key objects visible in this session (none on most cards before login). */
export function visiblePrivateKeyIds(session: Session): Set<string> {
  const ids = new Set<string>();
  for (const handle of findObjects(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])) {
    const id = readAttributes(session, handle, [pkcs11js.CKA_ID]).get(pkcs11js.CKA_ID);
    if (id) ids.add(id.toString('hex'));
  }
  return ids;
}
