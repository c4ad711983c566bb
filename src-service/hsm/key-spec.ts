/** Key types the CA generates on tokens, and the WebCrypto parameters for each. */
import { z } from 'zod';
import type { RsaHashedKeyGenParams, EcKeyGenParams, RsaHashedImportParams, EcdsaParams } from './webcrypto-types.js';

export const keySpecSchema = z.enum(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']);
export type KeySpec = z.infer<typeof keySpecSchema>;

/** Generation parameters (RSA with SHA-256, ECDSA with the hash matching the curve). */
export function keyGenParams(spec: KeySpec): RsaHashedKeyGenParams | EcKeyGenParams {
  switch (spec) {
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: Number(spec.slice(4)) };
    case 'EC-P256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'EC-P384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
  }
}

/** The signature algorithm used with a key of this spec. */
export function signingAlgorithm(spec: KeySpec): RsaHashedImportParams | EcdsaParams {
  if (spec.startsWith('RSA')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', hash: spec === 'EC-P384' ? 'SHA-384' : 'SHA-256' };
}
