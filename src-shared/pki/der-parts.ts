/**
 * The three parts of a signed X.509-style structure (certificate, CRL, PKCS#10, BasicOCSPResponse):
 * the to-be-signed bytes exactly as received, the algorithm and the signature.
 * Re-encoding a parsed TBS could change non-DER bytes and break a valid signature, so we keep the original.
 */
import { AsnConvert, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

export interface SignedParts {
  tbs: Uint8Array;
  algorithm: AlgorithmIdentifier;
  signature: Uint8Array;
}

/** SEQUENCE { tbs ANY, algorithm, signature BIT STRING, [0] ANY OPTIONAL } (the [0] is BasicOCSPResponse's certs). */
class SignedShell {
  tbs = new ArrayBuffer(0);
  algorithm = new AlgorithmIdentifier();
  signature = new ArrayBuffer(0);
  extra?: ArrayBuffer;
}
AsnProp({ type: AsnPropTypes.Any })(SignedShell.prototype, 'tbs');
AsnProp({ type: AlgorithmIdentifier })(SignedShell.prototype, 'algorithm');
AsnProp({ type: AsnPropTypes.BitString })(SignedShell.prototype, 'signature');
AsnProp({ type: AsnPropTypes.Any, context: 0, optional: true })(SignedShell.prototype, 'extra');

/** Splits SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING, ... }; null if the shape is wrong. */
export function signedParts(der: Uint8Array): SignedParts | null {
  try {
    const shell = AsnConvert.parse(der, SignedShell);
    return { tbs: new Uint8Array(shell.tbs), algorithm: shell.algorithm, signature: new Uint8Array(shell.signature) };
  } catch {
    return null;
  }
}
