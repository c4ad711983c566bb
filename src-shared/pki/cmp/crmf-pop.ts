/**
 * Proof of possession by signature (RFC 4211 §4.1, RFC 9483 §4.1.1): the new key signs the DER of
 * CertRequest, and the CA verifies that signature with the public key in the template.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { type SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { toArrayBuffer } from '../encoding.js';
import { verifySignature } from '../signature.js';
import { signatureAlgorithmIdentifier, signWith, type Signer } from '../signer.js';
import { CertReqMsg, type CertRequest, PopoSigningKey, ProofOfPossession } from './crmf-asn1.js';

/** A CertReqMsg whose POP is the new key's signature over `certReq`. */
export async function signedCertReqMsg(certReq: CertRequest, newKey: Signer): Promise<CertReqMsg> {
  const der = new Uint8Array(AsnConvert.serialize(certReq));
  const signature = await signWith(newKey, der);
  const popo = new ProofOfPossession({
    signature: new PopoSigningKey({ algorithmIdentifier: signatureAlgorithmIdentifier(newKey.algorithm), signature: toArrayBuffer(signature) }),
  });
  return new CertReqMsg({ certReq, popo });
}

/** True when the POP is a signature without poposkInput that verifies under the template's public key. */
export async function popVerifies(message: CertReqMsg): Promise<boolean> {
  const pop = message.popo?.signature;
  const key = message.certReq.certTemplate.publicKey;
  if (!pop || pop.poposkInput || !key) return false;
  const certReqDer = message.certReqRaw ? new Uint8Array(message.certReqRaw) : new Uint8Array(AsnConvert.serialize(message.certReq));
  try {
    return await verifySignature({
      spki: new Uint8Array(AsnConvert.serialize(key as SubjectPublicKeyInfo)),
      algorithm: pop.algorithmIdentifier,
      data: certReqDer,
      signature: new Uint8Array(pop.signature),
    });
  } catch {
    return false;
  }
}
