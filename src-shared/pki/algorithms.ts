/** Object identifiers of the algorithms this project signs and verifies with, and their WebCrypto names. */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { ObnovaError } from '../contract/errors.js';

export const oids = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
} as const;

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const hashByOid: Record<string, HashName> = {
  [oids.sha1]: 'SHA-1',
  [oids.sha256]: 'SHA-256',
  [oids.sha384]: 'SHA-384',
  [oids.sha512]: 'SHA-512',
};

const oidByHash: Record<HashName, string> = { 'SHA-1': oids.sha1, 'SHA-256': oids.sha256, 'SHA-384': oids.sha384, 'SHA-512': oids.sha512 };

/** WebCrypto hash name of a digest algorithm OID; PKI_ALGORITHM_UNSUPPORTED otherwise. */
export function hashFromOid(oid: string): HashName {
  const hash = hashByOid[oid];
  if (!hash) throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `digest algorithm ${oid} is not supported`, { oid });
  return hash;
}

/** AlgorithmIdentifier of a digest, parameters absent (RFC 5754 §2: absent is preferred). */
export function digestAlgorithmIdentifier(hash: HashName): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: oidByHash[hash] });
}

/** How to verify a signature: the WebCrypto key family, its hash and, for PSS, the salt length. */
export interface SignatureScheme {
  family: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  hash: HashName;
  saltLength?: number;
}

/**
 * Maps a signature AlgorithmIdentifier to a scheme. CMS may name only the key type
 * (rsaEncryption, id-ecPublicKey) and take the hash from the digestAlgorithm (RFC 5652 §5.3).
 */
export function signatureScheme(algorithm: AlgorithmIdentifier, digestOid?: string): SignatureScheme {
  switch (algorithm.algorithm) {
    case oids.sha256WithRSAEncryption:
      return { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case oids.sha384WithRSAEncryption:
      return { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' };
    case oids.sha512WithRSAEncryption:
      return { family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' };
    case oids.ecdsaWithSha256:
      return { family: 'ECDSA', hash: 'SHA-256' };
    case oids.ecdsaWithSha384:
      return { family: 'ECDSA', hash: 'SHA-384' };
    case oids.ecdsaWithSha512:
      return { family: 'ECDSA', hash: 'SHA-512' };
    case oids.rsaEncryption:
      if (digestOid) return { family: 'RSASSA-PKCS1-v1_5', hash: hashFromOid(digestOid) };
      break;
    case oids.ecPublicKey:
      if (digestOid) return { family: 'ECDSA', hash: hashFromOid(digestOid) };
      break;
    case oids.rsassaPss: {
      if (!algorithm.parameters) break;
      const params = AsnConvert.parse(algorithm.parameters, RsaSaPssParams);
      // MGF1 must use the same hash; WebCrypto cannot express anything else.
      return { family: 'RSA-PSS', hash: hashFromOid(params.hashAlgorithm.algorithm), saltLength: params.saltLength };
    }
  }
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `signature algorithm ${algorithm.algorithm} is not supported`, { oid: algorithm.algorithm });
}

/** Byte length of one ECDSA coordinate for a named curve OID. */
export function curveFieldBytes(curveOid: string): number {
  if (curveOid === oids.p256) return 32;
  if (curveOid === oids.p384) return 48;
  if (curveOid === oids.p521) return 66;
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `curve ${curveOid} is not supported`, { oid: curveOid });
}

/** WebCrypto name of a named curve OID. */
export function curveName(curveOid: string): 'P-256' | 'P-384' | 'P-521' {
  if (curveOid === oids.p256) return 'P-256';
  if (curveOid === oids.p384) return 'P-384';
  if (curveOid === oids.p521) return 'P-521';
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `curve ${curveOid} is not supported`, { oid: curveOid });
}
