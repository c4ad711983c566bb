/** PKCS#10 certification requests (RFC 2986): build with a {@link Signer}, parse, and check proof of possession. */
import 'reflect-metadata';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Attribute, Extension as AsnExtension, Extensions, Name as AsnName, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { type Extension, type JsonName, Name, Pkcs10CertificateRequest } from '@peculiar/x509';
import { ObnovaError } from '../contract/errors.js';
import { describePublicKey, type KeyAlgorithm } from './certificate.js';
import { type SignedParts, signedParts } from './der-parts.js';
import { toArrayBuffer } from './encoding.js';
import { type HolderIdentity, holderIdentity } from './holder-identity.js';
import { signatureAlgorithmIdentifier, type Signer, signWith } from './signer.js';
import { verifySignature } from './signature.js';

/** PKCS#9 extensionRequest (RFC 2985 §5.4.2). */
export const id_pkcs9_extensionRequest = '1.2.840.113549.1.9.14';

/** Largest request accepted from a peer. */
export const maxCsrBytes = 64 * 1024;

export interface CsrBuildInput {
  /** RFC 4514 string (`CN=…, serialNumber=PNOSI-…`) or @peculiar/x509 JSON name; order is kept as given. */
  subject: string | JsonName;
  /** DER SubjectPublicKeyInfo of the key that signs (the new key on the card). */
  publicKey: Uint8Array;
  signer: Signer;
  /** Extensions asked for, carried in an extensionRequest attribute. */
  extensions?: Extension[];
}

/** Builds and signs a request; returns DER. */
export async function buildCsr(input: CsrBuildInput): Promise<Uint8Array> {
  const attributes = new Attributes();
  if (input.extensions && input.extensions.length > 0) {
    const value = AsnConvert.serialize(new Extensions(input.extensions.map((e) => AsnConvert.parse(e.rawData, AsnExtension))));
    attributes.push(new Attribute({ type: id_pkcs9_extensionRequest, values: [value] }));
  }
  const info = new CertificationRequestInfo({
    version: 0,
    subject: AsnConvert.parse(new Name(input.subject).toArrayBuffer(), AsnName),
    subjectPKInfo: AsnConvert.parse(toArrayBuffer(input.publicKey), SubjectPublicKeyInfo),
    attributes,
  });
  const tbs = new Uint8Array(AsnConvert.serialize(info));
  const signature = await signWith(input.signer, tbs);
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: signatureAlgorithmIdentifier(input.signer.algorithm),
    signature: toArrayBuffer(signature),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** A parsed request; fields mirror {@link Certificate} where they mean the same thing. */
export class CertificateRequest {
  readonly der: Uint8Array;
  readonly pkcs10: Pkcs10CertificateRequest;
  readonly parts: SignedParts;

  private constructor(der: Uint8Array, pkcs10: Pkcs10CertificateRequest, parts: SignedParts) {
    this.der = der;
    this.pkcs10 = pkcs10;
    this.parts = parts;
  }

  /** Parses DER; malformed or oversized input becomes CSR_PARSE_FAILED. */
  static fromDer(der: Uint8Array): CertificateRequest {
    if (der.byteLength === 0 || der.byteLength > maxCsrBytes) {
      throw new ObnovaError('CSR_PARSE_FAILED', `request size ${der.byteLength} bytes is outside 1..${maxCsrBytes}`);
    }
    try {
      const pkcs10 = new Pkcs10CertificateRequest(toArrayBuffer(der));
      void [pkcs10.subject, pkcs10.publicKey.rawData, pkcs10.extensions];
      const parts = signedParts(der);
      if (!parts) throw new TypeError('not SEQUENCE { info, algorithm, signature }');
      return new CertificateRequest(der, pkcs10, parts);
    } catch (cause) {
      throw new ObnovaError('CSR_PARSE_FAILED', 'value is not a DER PKCS#10 request', undefined, { cause });
    }
  }

  get subject(): string {
    return this.pkcs10.subject;
  }

  get holder(): HolderIdentity {
    return holderIdentity(this.pkcs10.subjectName);
  }

  /** DER SubjectPublicKeyInfo of the requested key. */
  get subjectPublicKeyInfo(): Uint8Array {
    return new Uint8Array(this.pkcs10.publicKey.rawData);
  }

  get keyAlgorithm(): KeyAlgorithm {
    return describePublicKey(this.subjectPublicKeyInfo);
  }

  /** Extensions from the extensionRequest attribute. */
  get extensions(): Extension[] {
    return this.pkcs10.extensions;
  }

  /** Proof of possession: the request is signed by the private key of the key it carries. */
  async hasValidSignature(): Promise<boolean> {
    return verifySignature({ spki: this.subjectPublicKeyInfo, algorithm: this.parts.algorithm, data: this.parts.tbs, signature: this.parts.signature });
  }
}

/** Parses a request and checks proof of possession; CSR_PARSE_FAILED or CSR_BAD_SIGNATURE otherwise. */
export async function parseAndVerifyCsr(der: Uint8Array): Promise<CertificateRequest> {
  const request = CertificateRequest.fromDer(der);
  if (!(await request.hasValidSignature())) throw new ObnovaError('CSR_BAD_SIGNATURE', 'request signature does not verify with its own public key');
  return request;
}
