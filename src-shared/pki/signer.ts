/**
 * The narrow signing interface CMS and PKCS#10 building use: bytes in, X.509-encoded signature out.
 * A card key (C_Sign through the token layer) and a WebCrypto key in tests both fit it.
 */
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ObnovaError } from '../contract/errors.js';
import { digestAlgorithmIdentifier, type HashName, oids } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { ecdsaRawToDer } from './ecdsa-signature.js';
import { toArrayBuffer } from './encoding.js';
import type { WebCryptoKey } from './webcrypto-types.js';

export type SignerAlgorithm =
  | 'RSASSA-PKCS1-v1_5-SHA256'
  | 'RSASSA-PKCS1-v1_5-SHA384'
  | 'RSASSA-PKCS1-v1_5-SHA512'
  | 'ECDSA-P256-SHA256'
  | 'ECDSA-P384-SHA384';

/** Signs the DER of signed attributes or a CertificationRequestInfo. */
export interface Signer {
  algorithm: SignerAlgorithm;
  /** The signer's certificate, when it has one (CMS needs it; a new key for a CSR does not). */
  certificate?: Certificate;
  /** Returns the signature as X.509/CMS encode it: RSA as-is, ECDSA as DER SEQUENCE{r,s}. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const details: Record<SignerAlgorithm, { hash: HashName; signatureOid: string; ecdsa: boolean }> = {
  'RSASSA-PKCS1-v1_5-SHA256': { hash: 'SHA-256', signatureOid: oids.sha256WithRSAEncryption, ecdsa: false },
  'RSASSA-PKCS1-v1_5-SHA384': { hash: 'SHA-384', signatureOid: oids.sha384WithRSAEncryption, ecdsa: false },
  'RSASSA-PKCS1-v1_5-SHA512': { hash: 'SHA-512', signatureOid: oids.sha512WithRSAEncryption, ecdsa: false },
  'ECDSA-P256-SHA256': { hash: 'SHA-256', signatureOid: oids.ecdsaWithSha256, ecdsa: true },
  'ECDSA-P384-SHA384': { hash: 'SHA-384', signatureOid: oids.ecdsaWithSha384, ecdsa: true },
};

/** The hash a signer algorithm uses. */
export function signerHash(algorithm: SignerAlgorithm): HashName {
  return details[algorithm].hash;
}

/** signatureAlgorithm for X.509/PKCS#10/CMS; RSA carries NULL parameters, ECDSA none (RFC 4055 §5, RFC 5758 §3.2). */
export function signatureAlgorithmIdentifier(algorithm: SignerAlgorithm): AlgorithmIdentifier {
  const d = details[algorithm];
  return d.ecdsa ? new AlgorithmIdentifier({ algorithm: d.signatureOid }) : new AlgorithmIdentifier({ algorithm: d.signatureOid, parameters: null });
}

/** digestAlgorithm matching a signer algorithm. */
export function signerDigestAlgorithm(algorithm: SignerAlgorithm): AlgorithmIdentifier {
  return digestAlgorithmIdentifier(details[algorithm].hash);
}

/** Calls `signer.sign`, turning anything it throws that is not already coded into PKI_SIGNER_FAILED. */
export async function signWith(signer: Signer, data: Uint8Array): Promise<Uint8Array> {
  try {
    return await signer.sign(data);
  } catch (cause) {
    if (cause instanceof ObnovaError) throw cause;
    throw new ObnovaError('PKI_SIGNER_FAILED', 'the signer did not return a signature', { algorithm: signer.algorithm }, { cause });
  }
}

/** The part of SubtleCrypto a software signer calls; node-webcrypto-p11's `crypto.subtle` fits too. */
export interface SubtleSigner {
  sign(algorithm: { name: string; hash?: string }, key: WebCryptoKey, data: ArrayBuffer): Promise<ArrayBuffer>;
}

/**
 * A signer over a WebCrypto private key (tests, the service's software keys). Pass `subtle` when the key
 * belongs to another WebCrypto provider, such as node-webcrypto-p11 for a key on a token.
 */
export function softwareSigner(
  privateKey: WebCryptoKey,
  options: { certificate?: Certificate; algorithm?: SignerAlgorithm; subtle?: SubtleSigner } = {},
): Signer {
  const algorithm = options.algorithm ?? algorithmOfKey(privateKey);
  const d = details[algorithm];
  const subtle: SubtleSigner = options.subtle ?? (globalThis.crypto.subtle as unknown as SubtleSigner);
  return {
    algorithm,
    certificate: options.certificate,
    async sign(data) {
      if (d.ecdsa) {
        const raw = await subtle.sign({ name: 'ECDSA', hash: d.hash }, privateKey, toArrayBuffer(data));
        return ecdsaRawToDer(new Uint8Array(raw));
      }
      return new Uint8Array(await subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, privateKey, toArrayBuffer(data)));
    },
  };
}

function algorithmOfKey(key: WebCryptoKey): SignerAlgorithm {
  const alg = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  if (alg.name === 'ECDSA' && alg.namedCurve === 'P-256') return 'ECDSA-P256-SHA256';
  if (alg.name === 'ECDSA' && alg.namedCurve === 'P-384') return 'ECDSA-P384-SHA384';
  if (alg.name === 'RSASSA-PKCS1-v1_5') {
    const hash = alg.hash?.name ?? 'SHA-256';
    if (hash === 'SHA-384') return 'RSASSA-PKCS1-v1_5-SHA384';
    if (hash === 'SHA-512') return 'RSASSA-PKCS1-v1_5-SHA512';
    return 'RSASSA-PKCS1-v1_5-SHA256';
  }
  throw new ObnovaError('PKI_ALGORITHM_UNSUPPORTED', `no signer algorithm for a ${alg.name} key`);
}
