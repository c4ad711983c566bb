/** Algorithm, size and curve of a SubjectPublicKeyInfo (RSA modulus bits, EC named curve, EdDSA). */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';

export interface KeyAlgorithm {
  name: 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'unknown';
  size: number | null;
  curve: string | null;
}

const namedCurves: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 256 },
  '1.3.132.0.34': { name: 'P-384', size: 384 },
  '1.3.132.0.35': { name: 'P-521', size: 521 },
};

const oidRsaEncryption = '1.2.840.113549.1.1.1';
const oidRsaPss = '1.2.840.113549.1.1.10';
const oidEcPublicKey = '1.2.840.10045.2.1';
const oidEd25519 = '1.3.101.112';
const oidEd448 = '1.3.101.113';

/** Algorithm, size and curve of a DER SubjectPublicKeyInfo. */
export function describePublicKey(spkiDer: Uint8Array): KeyAlgorithm {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  const oid = spki.algorithm.algorithm;
  if (oid === oidRsaEncryption || oid === oidRsaPss) {
    const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    const modulus = new Uint8Array(rsa.modulus);
    const leadingZeros = modulus[0] === 0 ? 1 : 0;
    const bytes = modulus.subarray(leadingZeros);
    const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + Math.floor(Math.log2(bytes[0] ?? 1)) + 1;
    return { name: 'RSA', size: bits, curve: null };
  }
  if (oid === oidEcPublicKey && spki.algorithm.parameters) {
    const params = AsnConvert.parse(spki.algorithm.parameters, ECParameters);
    const curve = params.namedCurve ? namedCurves[params.namedCurve] : undefined;
    return { name: 'EC', size: curve?.size ?? null, curve: curve?.name ?? params.namedCurve ?? null };
  }
  if (oid === oidEd25519) return { name: 'Ed25519', size: 256, curve: null };
  if (oid === oidEd448) return { name: 'Ed448', size: 456, curve: null };
  return { name: 'unknown', size: null, curve: null };
}
