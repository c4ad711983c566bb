/**
 * Building, protecting and checking CMP messages (RFC 4210 §5.1.3.3 signature-based protection,
 * RFC 9483 §3): both the CA's route and the app's client use these, so the two sides sign and
 * verify the same bytes. Signing goes through a {@link Signer} (a card key, an HSM key, a test key).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate, GeneralName, Name } from '@peculiar/asn1-x509';
import { ObnovaError } from '../../contract/errors.js';
import { hashFromOid, signatureScheme } from '../algorithms.js';
import { toArrayBuffer } from '../encoding.js';
import { verifySignature } from '../signature.js';
import { signatureAlgorithmIdentifier, signWith, type Signer } from '../signer.js';
import { CmpCertificates, type PkiBody, type PkiHeader, PkiMessage, ProtectedPart } from './cmp-asn1.js';

/** Media type of RFC 6712 / RFC 9811. */
export const cmpContentType = 'application/pkixcmp';
/** CMP messages of a kur are a few KB; anything bigger is refused before parsing. */
export const maxCmpMessageBytes = 64 * 1024;

/** 128 random bits: transactionID and nonces (RFC 9483 §3.1: at least 128 bits). */
export function randomOctets(bytes = 16): OctetString {
  return new OctetString(toArrayBuffer(globalThis.crypto.getRandomValues(new Uint8Array(bytes))));
}

/** A certificate's subject as the directoryName GeneralName headers carry. */
export function directoryName(certDer: Uint8Array): GeneralName {
  const cert = AsnConvert.parse(certDer, AsnCertificate);
  return new GeneralName({ directoryName: cert.tbsCertificate.subject });
}

/** The NULL-DN GeneralName (RFC 4210 §5.1.1: the sender or recipient is not known). */
export function nullName(): GeneralName {
  return new GeneralName({ directoryName: new Name() });
}

/** Parses a PKIMessage; CMP_MESSAGE_INVALID for anything that is not one. */
export function parseCmpMessage(der: Uint8Array): PkiMessage {
  if (der.byteLength === 0 || der.byteLength > maxCmpMessageBytes) {
    throw new ObnovaError('CMP_MESSAGE_INVALID', `a CMP message of ${der.byteLength} bytes is outside 1..${maxCmpMessageBytes}`);
  }
  let message: PkiMessage;
  try {
    message = AsnConvert.parse(der, PkiMessage);
  } catch (cause) {
    throw new ObnovaError('CMP_MESSAGE_INVALID', 'the body is not a DER PKIMessage', undefined, { cause });
  }
  if (!Object.values(message.body).some((v) => v !== undefined)) throw new ObnovaError('CMP_MESSAGE_INVALID', 'the PKIBody type is not one this CA speaks');
  return message;
}

/** The name of the body's CHOICE arm (kur, kup, certConf, …). */
export function bodyType(body: PkiBody): keyof PkiBody {
  const entry = Object.entries(body).find(([, v]) => v !== undefined);
  return (entry?.[0] ?? 'unknown') as keyof PkiBody;
}

/** DER of ProtectedPart: SEQUENCE { header, body } from the bytes received (never re-encoded), or encoded for sending. */
export function protectedPartDer(message: PkiMessage): Uint8Array {
  if (message.headerRaw && message.bodyRaw) return derSequence(new Uint8Array(message.headerRaw), new Uint8Array(message.bodyRaw));
  return new Uint8Array(AsnConvert.serialize(new ProtectedPart({ header: message.header, body: message.body })));
}

/** SEQUENCE { parts… } around DER elements kept as they are (a signature covers their exact bytes). */
export function derSequence(...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let n = length; n > 0; n >>= 8) lengthBytes.unshift(n & 0xff);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out.set([0x30, ...lengthBytes], 0);
  let offset = 1 + lengthBytes.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Signs header+body with `signer` and returns the DER PKIMessage. `extraCerts` starts with the
 * protection certificate (RFC 9483 §3.3), then its chain.
 */
export async function protectMessage(header: PkiHeader, body: PkiBody, signer: Signer, extraCerts: Uint8Array[]): Promise<Uint8Array> {
  header.protectionAlg = signatureAlgorithmIdentifier(signer.algorithm);
  const message = new PkiMessage({ header, body });
  const signature = await signWith(signer, protectedPartDer(message));
  message.protection = toArrayBuffer(signature);
  if (extraCerts.length > 0) message.extraCerts = new CmpCertificates(extraCerts.map((der) => AsnConvert.parse(der, AsnCertificate)));
  return new Uint8Array(AsnConvert.serialize(message));
}

/** The protection certificate (first of extraCerts, RFC 9483 §3.3) as DER, or null. */
export function protectionCertificate(message: PkiMessage): Uint8Array | null {
  const first = message.extraCerts?.[0];
  return first ? new Uint8Array(AsnConvert.serialize(first)) : null;
}

/** True when the message carries signature protection that verifies under `signerCertDer`'s key. */
export async function protectionVerifies(message: PkiMessage, signerCertDer: Uint8Array): Promise<boolean> {
  if (!message.protection || !message.header.protectionAlg) return false;
  const cert = AsnConvert.parse(signerCertDer, AsnCertificate);
  try {
    return await verifySignature({
      spki: new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo)),
      algorithm: message.header.protectionAlg,
      data: protectedPartDer(message),
      signature: new Uint8Array(message.protection),
    });
  } catch {
    return false;
  }
}

/**
 * certHash of certConf (RFC 4210 §5.3.18, RFC 9480 §2.10): the certificate hashed with the hash of
 * its own signature algorithm.
 */
export async function certificateHash(certDer: Uint8Array): Promise<Uint8Array> {
  const cert = AsnConvert.parse(certDer, AsnCertificate);
  const scheme = signatureScheme(cert.signatureAlgorithm);
  return new Uint8Array(await globalThis.crypto.subtle.digest(scheme.hash, toArrayBuffer(certDer)));
}

/** Same, with an explicit hashAlg from certConf (RFC 9480's CertStatus.hashAlg). */
export async function certificateHashWith(certDer: Uint8Array, hashOid: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hashFromOid(hashOid), toArrayBuffer(certDer)));
}

/** Bytes of an optional OCTET STRING header field. */
export function octets(value: OctetString | undefined): Uint8Array | null {
  return value ? new Uint8Array(value.buffer) : null;
}
