/**
 * The three parts of a signed X.509-style structure (certificate, CRL, PKCS#10, BasicOCSPResponse):
 * the to-be-signed bytes exactly as received, the algorithm and the signature.
 * Re-encoding a parsed TBS could change non-DER bytes and break a valid signature, so we slice the original.
 */
import * as asn1js from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { toArrayBuffer } from './encoding.js';

export interface SignedParts {
  tbs: Uint8Array;
  algorithm: AlgorithmIdentifier;
  signature: Uint8Array;
}

/** Splits SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING, ... }; null if the shape is wrong. */
export function signedParts(der: Uint8Array): SignedParts | null {
  const parsed = asn1js.fromBER(toArrayBuffer(der));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null;
  const [tbs, alg, sig] = parsed.result.valueBlock.value;
  if (!tbs || !alg || !(sig instanceof asn1js.BitString)) return null;
  if (sig.valueBlock.unusedBits !== 0) return null;
  try {
    return {
      tbs: new Uint8Array(tbs.valueBeforeDecodeView),
      algorithm: AsnConvert.parse(alg.valueBeforeDecodeView, AlgorithmIdentifier),
      signature: new Uint8Array(sig.valueBlock.valueHexView),
    };
  } catch {
    return null;
  }
}
