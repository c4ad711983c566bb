/** Certs-only PKCS#7 / CMS SignedData (RFC 5652 §5, "degenerate" case) for exporting and importing a chain. */
import 'reflect-metadata';
import {
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  SignedData,
  SignerInfos,
  id_data,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { ObnovaError } from '../contract/errors.js';
import { Certificate } from './certificate.js';
import { toArrayBuffer } from './encoding.js';

/** Largest chain file accepted. */
export const maxPkcs7Bytes = 1024 * 1024;

/** DER PKCS#7 holding `certificates` in the given order and no signers. */
export function encodePkcs7Chain(certificates: (Certificate | Uint8Array)[]): Uint8Array {
  const set = new CertificateSet(
    certificates.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(toArrayBuffer(c instanceof Certificate ? c.der : c), AsnCertificate) })),
  );
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers(),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: set,
    signerInfos: new SignerInfos(),
  });
  return new Uint8Array(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) })));
}

/** Certificates of a PKCS#7 (any SignedData); PKCS7_PARSE_FAILED for anything else. */
export async function decodePkcs7Chain(der: Uint8Array): Promise<Certificate[]> {
  if (der.byteLength > maxPkcs7Bytes) throw new ObnovaError('PKI_INPUT_TOO_LARGE', `PKCS#7 of ${der.byteLength} bytes exceeds ${maxPkcs7Bytes}`);
  let signedData: SignedData;
  try {
    const info = AsnConvert.parse(toArrayBuffer(der), ContentInfo);
    if (info.contentType !== id_signedData) throw new TypeError(`content type ${info.contentType}`);
    signedData = AsnConvert.parse(info.content, SignedData);
  } catch (cause) {
    throw new ObnovaError('PKCS7_PARSE_FAILED', 'value is not a PKCS#7 SignedData', undefined, { cause });
  }
  const out: Certificate[] = [];
  for (const choice of signedData.certificates ?? []) {
    if (choice.certificate) out.push(await Certificate.fromDer(new Uint8Array(AsnConvert.serialize(choice.certificate))));
  }
  return out;
}
