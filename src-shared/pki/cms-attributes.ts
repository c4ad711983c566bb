/** CAdES-BES signed attributes (ETSI EN 319 122-1 §5.2): content-type, message-digest, signing-time, signing-certificate-v2. */
import * as asn1js from 'asn1js';
import { Attribute, SigningTime, id_contentType, id_messageDigest, id_signingTime } from '@peculiar/asn1-cms';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate as AsnCertificate, GeneralName, GeneralNames } from '@peculiar/asn1-x509';
import { type HashName, oids } from './algorithms.js';
import { EssCertIdsV2, EssCertIdV2, IssuerSerial, SigningCertificateV2, id_aa_signingCertificateV2 } from './ess-signing-certificate.js';
import { toArrayBuffer } from './encoding.js';

/** SET OF Attribute, the DER that is signed (RFC 5652 §5.4: the signature covers the EXPLICIT SET OF encoding). */
export class SignedAttributeSet extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, SignedAttributeSet.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributeSet);

function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** Orders attributes as DER requires for SET OF (X.690 §11.6); verifiers such as OpenSSL re-encode and would otherwise disagree. */
export function sortForDer(attributes: Attribute[]): Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: new Uint8Array(AsnConvert.serialize(a)) }));
  encoded.sort((x, y) => compareDer(x.der, y.der));
  return encoded.map((e) => e.a);
}

export interface SignedAttributeInput {
  contentType: string;
  digest: Uint8Array;
  signingTime: Date;
  signerCertificateDer: Uint8Array;
  /** Hash of the signer certificate for ESSCertIDv2; SHA-256 leaves hashAlgorithm at its DEFAULT. */
  certHash: Uint8Array;
  certHashAlgorithm: HashName;
}

/** The four CAdES-BES attributes, DER-sorted. */
export function cadesSignedAttributes(input: SignedAttributeInput): Attribute[] {
  const cert = AsnConvert.parse(input.signerCertificateDer, AsnCertificate);
  const essId = new EssCertIdV2({
    certHash: new OctetString(input.certHash),
    issuerSerial: new IssuerSerial({
      issuer: new GeneralNames([new GeneralName({ directoryName: cert.tbsCertificate.issuer })]),
      serialNumber: cert.tbsCertificate.serialNumber,
    }),
  });
  if (input.certHashAlgorithm !== 'SHA-256') {
    const oid = { 'SHA-1': oids.sha1, 'SHA-384': oids.sha384, 'SHA-512': oids.sha512 }[input.certHashAlgorithm];
    essId.hashAlgorithm = new AlgorithmIdentifier({ algorithm: oid });
  }
  return sortForDer([
    new Attribute({ attrType: id_contentType, attrValues: [new asn1js.ObjectIdentifier({ value: input.contentType }).toBER()] }),
    new Attribute({ attrType: id_signingTime, attrValues: [AsnConvert.serialize(new SigningTime(input.signingTime))] }),
    new Attribute({ attrType: id_messageDigest, attrValues: [AsnConvert.serialize(new OctetString(toArrayBuffer(input.digest)))] }),
    new Attribute({ attrType: id_aa_signingCertificateV2, attrValues: [AsnConvert.serialize(new SigningCertificateV2({ certs: new EssCertIdsV2([essId]) }))] }),
  ]);
}

/** DER of SET OF Attribute, the bytes the signer signs. */
export function encodeSignedAttributes(attributes: Attribute[]): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new SignedAttributeSet(attributes)));
}
