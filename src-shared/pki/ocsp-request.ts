/** OCSP requests (RFC 6960 §4.1) with a nonce (RFC 8954), and CertID matching. */
import 'reflect-metadata';
import { CertID, OCSPRequest, Request, TBSRequest, id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate as AsnCertificate, Extension, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { oids } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { bytesEqual, toArrayBuffer } from './encoding.js';

export interface OcspRequestInfo {
  der: Uint8Array;
  certId: CertID;
  /** extnValue of the nonce extension we sent, or null. */
  nonce: Uint8Array | null;
}

async function sha1(data: ArrayBuffer | Uint8Array): Promise<ArrayBuffer> {
  return globalThis.crypto.subtle.digest('SHA-1', data instanceof Uint8Array ? toArrayBuffer(data) : data);
}

/** SHA-1 of the BIT STRING value of a public key, as ResponderID byKey and CertID issuerKeyHash use (RFC 6960 §4.1.1). */
export async function publicKeyHash(certificate: Certificate): Promise<Uint8Array> {
  return new Uint8Array(await sha1(AsnConvert.parse(certificate.subjectPublicKeyInfo, SubjectPublicKeyInfo).subjectPublicKey));
}

/** CertID of `certificate` under `issuer`; SHA-1 is what responders universally index by. */
export async function certIdFor(certificate: Certificate, issuer: Certificate): Promise<CertID> {
  const serialNumber = AsnConvert.parse(certificate.der, AsnCertificate).tbsCertificate.serialNumber;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: oids.sha1, parameters: null }),
    issuerNameHash: new OctetString(await sha1(issuer.x509.subjectName.toArrayBuffer())),
    issuerKeyHash: new OctetString(await publicKeyHash(issuer)),
    serialNumber,
  });
}

/** Same certificate identified (hash algorithm, both hashes, serial). */
export function sameCertId(a: CertID, b: CertID): boolean {
  const strip = (x: ArrayBuffer) => {
    const v = new Uint8Array(x);
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    return v.subarray(i);
  };
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    bytesEqual(new Uint8Array(a.issuerNameHash.buffer), new Uint8Array(b.issuerNameHash.buffer)) &&
    bytesEqual(new Uint8Array(a.issuerKeyHash.buffer), new Uint8Array(b.issuerKeyHash.buffer)) &&
    bytesEqual(strip(a.serialNumber), strip(b.serialNumber))
  );
}

/** Builds a one-certificate request, with a fresh 16-byte nonce unless `withNonce` is false. */
export async function buildOcspRequest(certificate: Certificate, issuer: Certificate, withNonce = true): Promise<OcspRequestInfo> {
  const certId = await certIdFor(certificate, issuer);
  let nonce: Uint8Array | null = null;
  const tbs = new TBSRequest({ requestList: [new Request({ reqCert: certId })] });
  if (withNonce) {
    // RFC 8954 §2.1: the extnValue holds Nonce ::= OCTET STRING (SIZE(1..32)).
    nonce = new Uint8Array(AsnConvert.serialize(new OctetString(globalThis.crypto.getRandomValues(new Uint8Array(16)))));
    tbs.requestExtensions = [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(toArrayBuffer(nonce)) })];
  }
  return { der: new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest: tbs }))), certId, nonce };
}
