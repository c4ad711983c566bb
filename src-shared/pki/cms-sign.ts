/** CMS SignedData with CAdES-BES signed attributes (RFC 5652, ETSI EN 319 122-1), signed through a {@link Signer}. */
import 'reflect-metadata';
import {
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { ObnovaError } from '../contract/errors.js';
import type { Certificate } from './certificate.js';
import { cadesSignedAttributes, encodeSignedAttributes } from './cms-attributes.js';
import { toArrayBuffer } from './encoding.js';
import { type Signer, signatureAlgorithmIdentifier, signerDigestAlgorithm, signerHash, signWith } from './signer.js';

export interface CmsSignOptions {
  /** eContentType; id-data by default. */
  contentType?: string;
  /** Defaults to now; tests pin it. */
  signingTime?: Date;
  /** CA certificates to include after the signer's, so a verifier can build the path. */
  chain?: Certificate[];
  /** Leave eContent out (detached signature); attached by default. */
  detached?: boolean;
}

/** Signs `content` and returns the DER ContentInfo of a SignedData with one SignerInfo. */
export async function signCms(content: Uint8Array, signer: Signer, options: CmsSignOptions = {}): Promise<Uint8Array> {
  const certificate = signer.certificate;
  if (!certificate) throw new ObnovaError('CMS_SIGNER_CERT_MISSING', 'a CAdES signer needs its certificate');
  const hash = signerHash(signer.algorithm);
  const contentType = options.contentType ?? id_data;
  const [digest, certHash] = await Promise.all([
    globalThis.crypto.subtle.digest(hash, toArrayBuffer(content)),
    globalThis.crypto.subtle.digest('SHA-256', toArrayBuffer(certificate.der)),
  ]);
  const attributes = cadesSignedAttributes({
    contentType,
    digest: new Uint8Array(digest),
    signingTime: options.signingTime ?? new Date(),
    signerCertificateDer: certificate.der,
    certHash: new Uint8Array(certHash),
    certHashAlgorithm: 'SHA-256',
  });
  const signature = await signWith(signer, encodeSignedAttributes(attributes));

  const asnCert = AsnConvert.parse(certificate.der, AsnCertificate);
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: asnCert.tbsCertificate.issuer, serialNumber: asnCert.tbsCertificate.serialNumber }),
    }),
    digestAlgorithm: signerDigestAlgorithm(signer.algorithm),
    signedAttrs: attributes,
    signatureAlgorithm: signatureAlgorithmIdentifier(signer.algorithm),
    signature: new OctetString(toArrayBuffer(signature)),
  });
  const certificates = [certificate, ...(options.chain ?? [])].map(
    (c) => new CertificateChoices({ certificate: AsnConvert.parse(c.der, AsnCertificate) }),
  );
  const signedData = new SignedData({
    // RFC 5652 §5.1: v1 when certificates are X.509 v3, eContentType is id-data and the sid is issuerAndSerialNumber; v3 otherwise.
    version: contentType === id_data ? CMSVersion.v1 : CMSVersion.v3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([signerDigestAlgorithm(signer.algorithm)]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: contentType,
      eContent: options.detached ? undefined : new EncapsulatedContent({ single: new OctetString(toArrayBuffer(content)) }),
    }),
    certificates: new CertificateSet(certificates),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const contentInfo = new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) });
  return new Uint8Array(AsnConvert.serialize(contentInfo));
}
