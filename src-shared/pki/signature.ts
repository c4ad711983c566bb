/** Verifies X.509/CMS/PKCS#10/OCSP/CRL signatures with WebCrypto, given the signer's SubjectPublicKeyInfo. */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { type AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ObnovaError } from '../contract/errors.js';
import { curveFieldBytes, curveName, oids, type SignatureScheme, signatureScheme } from './algorithms.js';
import { ecdsaDerToRaw } from './ecdsa-signature.js';
import { toArrayBuffer, toHex } from './encoding.js';
import type { WebCryptoKey } from './webcrypto-types.js';

interface ImportedKey {
  key: WebCryptoKey;
  fieldBytes: number;
}

// Imported keys are cached: verifying many CMS blobs from one signer must not re-import the key each time.
const keyCache = new Map<string, Promise<ImportedKey>>();
const keyCacheLimit = 256;

async function importKey(spkiDer: Uint8Array, scheme: SignatureScheme): Promise<ImportedKey> {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  const keyOid = spki.algorithm.algorithm;
  if (scheme.family === 'ECDSA') {
    if (keyOid !== oids.ecPublicKey || !spki.algorithm.parameters) {
      throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', 'ECDSA signature but the key is not an EC key', { oid: keyOid });
    }
    const curveOid = AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve ?? '';
    const namedCurve = curveName(curveOid);
    const key = await globalThis.crypto.subtle.importKey('spki', toArrayBuffer(spkiDer), { name: 'ECDSA', namedCurve }, false, ['verify']);
    return { key, fieldBytes: curveFieldBytes(curveOid) };
  }
  if (keyOid !== oids.rsaEncryption && keyOid !== oids.rsassaPss) {
    throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', 'RSA signature but the key is not an RSA key', { oid: keyOid });
  }
  // WebCrypto refuses an id-RSASSA-PSS SPKI; the key material is the same RSAPublicKey, so present it as rsaEncryption.
  const der = keyOid === oids.rsaEncryption ? spkiDer : rsaEncryptionSpki(spki);
  const key = await globalThis.crypto.subtle.importKey('spki', toArrayBuffer(der), { name: scheme.family, hash: scheme.hash }, false, ['verify']);
  return { key, fieldBytes: 0 };
}

function rsaEncryptionSpki(spki: SubjectPublicKeyInfo): Uint8Array {
  const copy = new SubjectPublicKeyInfo({ algorithm: spki.algorithm, subjectPublicKey: spki.subjectPublicKey });
  copy.algorithm.algorithm = oids.rsaEncryption;
  copy.algorithm.parameters = null;
  return new Uint8Array(AsnConvert.serialize(copy));
}

function cachedKey(spkiDer: Uint8Array, scheme: SignatureScheme): Promise<ImportedKey> {
  const id = `${scheme.family}/${scheme.hash}/${toHex(spkiDer)}`;
  let entry = keyCache.get(id);
  if (!entry) {
    if (keyCache.size >= keyCacheLimit) keyCache.delete(keyCache.keys().next().value as string);
    entry = importKey(spkiDer, scheme);
    keyCache.set(id, entry);
    entry.catch(() => keyCache.delete(id));
  }
  return entry;
}

/** Input of {@link verifySignature}. */
export interface SignatureCheck {
  /** DER SubjectPublicKeyInfo of the claimed signer. */
  spki: Uint8Array;
  /** signatureAlgorithm as found in the signed structure. */
  algorithm: AlgorithmIdentifier;
  /** digestAlgorithm OID, for CMS SignerInfos that name only the key type. */
  digestOid?: string;
  data: Uint8Array;
  /** Signature as encoded in X.509/CMS (ECDSA: DER SEQUENCE{r,s}). */
  signature: Uint8Array;
}

/** True when the signature is valid; false when it is not; PKI_ALGORITHM_UNSUPPORTED for algorithms we do not verify. */
export async function verifySignature(check: SignatureCheck): Promise<boolean> {
  const scheme = signatureScheme(check.algorithm, check.digestOid);
  let imported: ImportedKey;
  try {
    imported = await cachedKey(check.spki, scheme);
  } catch (cause) {
    if (cause instanceof ObnovaError) throw cause;
    throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', 'public key could not be imported for verification', undefined, { cause });
  }
  const data = toArrayBuffer(check.data);
  if (scheme.family === 'ECDSA') {
    const raw = ecdsaDerToRaw(check.signature, imported.fieldBytes);
    if (!raw) return false;
    return globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: scheme.hash }, imported.key, toArrayBuffer(raw), data);
  }
  if (scheme.family === 'RSA-PSS') {
    return globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength: scheme.saltLength ?? 20 }, imported.key, toArrayBuffer(check.signature), data);
  }
  return globalThis.crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, imported.key, toArrayBuffer(check.signature), data);
}
